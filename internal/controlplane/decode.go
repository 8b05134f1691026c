package controlplane

import (
	"encoding/json"

	"github.com/quayside/quayside/internal/ecs"
)

func decodeTask(b []byte) (ecs.Task, error) {
	var t ecs.Task
	err := json.Unmarshal(b, &t)
	return t, err
}
