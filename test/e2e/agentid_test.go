package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func agentID(t *testing.T, dataDir string) string {
	b, err := os.ReadFile(filepath.Join(dataDir, "agent-id"))
	if err != nil {
		t.Logf("no agent id: %v", err)
		return "none"
	}
	return strings.TrimSpace(string(b))
}
