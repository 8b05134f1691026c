package ecsdb

import (
	"encoding/json"
	"fmt"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/store"
)

// TaskDefinitionHead is a revision's identity and status: what listings
// need, read without keeping the whole record.
type TaskDefinitionHead struct {
	Family   string                   `json:"family"`
	Revision int                      `json:"revision"`
	Status   ecs.TaskDefinitionStatus `json:"status"`
}

// FamilyHeads returns the heads of one family's revisions in revision
// order.
func FamilyHeads(tx store.ReadTx, s Scope, family string) ([]TaskDefinitionHead, error) {
	return scanHeads(tx, s.key(family)+"/")
}

// TaskDefinitionHeads returns the heads of every revision whose family
// starts with familyPrefix ("" for all), in key order: grouped by family,
// in revision order within a family. Key order is not quite family-name
// order ("web-api/..." sorts before "web/..."), so callers that show
// families sort them.
func TaskDefinitionHeads(tx store.ReadTx, s Scope, familyPrefix string) ([]TaskDefinitionHead, error) {
	return scanHeads(tx, s.key(familyPrefix))
}

func scanHeads(tx store.ReadTx, prefix string) ([]TaskDefinitionHead, error) {
	var out []TaskDefinitionHead
	err := tx.Scan(TaskDefs, prefix, "", func(k string, b []byte) error {
		var h TaskDefinitionHead
		if err := json.Unmarshal(b, &h); err != nil {
			return fmt.Errorf("ecsdb: decode %s/%s: %w", TaskDefs, k, err)
		}
		out = append(out, h)
		return nil
	})
	return out, err
}
