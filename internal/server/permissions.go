package server

import (
	"github.com/quayside/quayside/internal/agent"
	"github.com/quayside/quayside/internal/iam"
)

// permissions is what the agent checks task execution roles with: IAM's
// policy engine when Config.IAMEnforce is set, else nothing (Quayside
// accepts any credentials).
func (s *Server) permissions() agent.Permissions {
	if !s.cfg.IAMEnforce {
		return nil
	}
	return iam.New(s.store, iam.Options{})
}
