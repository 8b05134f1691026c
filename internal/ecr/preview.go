package ecr

import "time"

// Lifecycle policy preview statuses.
const (
	PreviewComplete = "COMPLETE"
)

// LifecyclePreview is the last StartLifecyclePolicyPreview of a
// repository: what the policy would expire when the preview ran.
type LifecyclePreview struct {
	PolicyText string                   `json:"lifecyclePolicyText"`
	Status     string                   `json:"status"`
	StartedAt  time.Time                `json:"startedAt"`
	Results    []LifecyclePreviewResult `json:"previewResults,omitempty"`
}

// LifecyclePreviewResult is one image the policy would act on.
type LifecyclePreviewResult struct {
	Digest       Digest    `json:"imageDigest"`
	Tags         []string  `json:"imageTags,omitempty"`
	PushedAt     time.Time `json:"imagePushedAt"`
	Action       string    `json:"action"` // EXPIRE
	RulePriority int       `json:"appliedRulePriority"`
}
