package secretsmanager

import (
	"context"
	"slices"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// StageInput is an UpdateSecretVersionStage request.
type StageInput struct {
	SecretID     string
	Stage        string
	RemoveFromID string
	MoveToID     string
}

// UpdateStage moves a staging label to a version (MoveToID), or removes
// it from one (RemoveFromID only). A label that is attached elsewhere
// moves only when RemoveFromID names its current version, so a caller
// never moves a label it did not know about. Moving AWSCURRENT makes the
// version that had it AWSPREVIOUS.
func (m *Manager) UpdateStage(ctx context.Context, s Scope, in StageInput) (Secret, error) {
	var out Secret
	err := m.st.Update(ctx, func(tx store.Tx) error {
		sec, err := m.live(tx, s, in.SecretID)
		if err != nil {
			return err
		}
		if err := applyStage(&sec, in); err != nil {
			return err
		}
		sec.LastChanged = m.now()
		out = sec
		if err := deleteValues(tx, s, &sec, sec.prune()); err != nil {
			return err
		}
		return store.Put(tx, Secrets, secretKey(s, sec.Name), sec)
	})
	return out, err
}

func applyStage(sec *Secret, in StageInput) error {
	holder := sec.Holder(in.Stage)
	if in.RemoveFromID != "" {
		v := sec.Versions[in.RemoveFromID]
		if v == nil {
			return noVersion(in.RemoveFromID)
		}
		if holder != in.RemoveFromID {
			return notOnVersion(in.Stage, in.RemoveFromID)
		}
	}
	switch {
	case in.MoveToID != "":
		to := sec.Versions[in.MoveToID]
		if to == nil {
			return noVersion(in.MoveToID)
		}
		if holder != "" && holder != in.MoveToID && in.RemoveFromID == "" {
			return mustRemoveFrom(in.Stage, holder)
		}
		if !slices.Contains(to.Stages, in.Stage) && len(to.Stages) >= MaxStagesPerVer {
			return fault.New(ErrLimitExceeded, msgTooManyStages)
		}
		sec.stage(in.MoveToID, in.Stage)
	case in.RemoveFromID != "":
		if in.Stage == StageCurrent {
			return fault.New(ErrInvalidParameter, msgRemoveCurrent)
		}
		removeStage(sec.Versions[in.RemoveFromID], in.Stage)
	default:
		return fault.New(ErrInvalidParameter, msgStageRequired)
	}
	return nil
}
