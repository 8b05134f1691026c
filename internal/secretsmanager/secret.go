package secretsmanager

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/quayside/quayside/internal/fault"
)

// Staging labels Secrets Manager itself moves.
const (
	StageCurrent  = "AWSCURRENT"
	StagePrevious = "AWSPREVIOUS"
	StagePending  = "AWSPENDING"
)

// Limits.
const (
	MaxValueBytes      = 65536
	MaxStagesPerVer    = 20
	MaxVersions        = 100 // versions kept; the oldest without a label go first
	MinRecoveryDays    = 7
	MaxRecoveryDays    = 30
	DefaultRecoveryDay = 30
)

// Scope is the region and account a request acts in.
type Scope struct {
	Region  string
	Account string
}

func (s Scope) prefix() string { return s.Region + "/" + s.Account + "/" }

// Tag is a resource tag.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Replica is a region the secret is to be replicated to. Quayside records
// replicas; it does not copy the secret.
type Replica struct {
	Region   string `json:"region"`
	KmsKeyID string `json:"kmsKeyId,omitempty"`
}

// Version is a secret version's metadata; its value lives sealed in the
// values table.
type Version struct {
	ID           string    `json:"id"`
	Seq          int64     `json:"seq"` // creation order within the secret
	Stages       []string  `json:"stages,omitempty"`
	Created      time.Time `json:"created"`
	LastAccessed time.Time `json:"lastAccessed,omitzero"` // a date: midnight UTC
	Binary       bool      `json:"binary,omitempty"`
}

// Secret is a secret's record.
type Secret struct {
	Name         string              `json:"name"`
	ARN          string              `json:"arn"`
	Description  string              `json:"description,omitempty"`
	KmsKeyID     string              `json:"kmsKeyId,omitempty"`
	Type         string              `json:"type,omitempty"`
	Tags         []Tag               `json:"tags,omitempty"`
	Created      time.Time           `json:"created"`
	LastChanged  time.Time           `json:"lastChanged"`
	LastAccessed time.Time           `json:"lastAccessed,omitzero"` // a date: midnight UTC
	Deleted      time.Time           `json:"deleted,omitzero"`      // when DeleteSecret was called
	DeletionDate time.Time           `json:"deletionDate,omitzero"` // when it will be purged
	Versions     map[string]*Version `json:"versions"`
	Replicas     []Replica           `json:"replicas,omitempty"`
	NextSeq      int64               `json:"nextSeq"`
}

// Scheduled reports whether the secret is marked for deletion.
func (s *Secret) Scheduled() bool { return !s.DeletionDate.IsZero() }

// Holder returns the version a staging label is attached to, or "".
func (s *Secret) Holder(stage string) string {
	for id, v := range s.Versions {
		if slices.Contains(v.Stages, stage) {
			return id
		}
	}
	return ""
}

// Staged returns the versions that carry staging labels, by ID.
func (s *Secret) Staged() map[string][]string {
	out := map[string][]string{}
	for id, v := range s.Versions {
		if len(v.Stages) > 0 {
			out[id] = append([]string(nil), v.Stages...)
		}
	}
	return out
}

// Ordered returns the versions newest first.
func (s *Secret) Ordered() []*Version {
	out := make([]*Version, 0, len(s.Versions))
	for _, v := range s.Versions {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq > out[j].Seq })
	return out
}

func removeStage(v *Version, stage string) {
	v.Stages = slices.DeleteFunc(v.Stages, func(s string) bool { return s == stage })
}

// stage attaches a label to version id, detaching it from whichever
// version had it. Moving AWSCURRENT makes the old current AWSPREVIOUS.
func (s *Secret) stage(id, stage string) {
	old := s.Holder(stage)
	if old == id {
		return
	}
	if old != "" {
		removeStage(s.Versions[old], stage)
	}
	v := s.Versions[id]
	v.Stages = append(v.Stages, stage)
	if stage == StageCurrent && old != "" {
		if prev := s.Holder(StagePrevious); prev != "" {
			removeStage(s.Versions[prev], StagePrevious)
		}
		s.Versions[old].Stages = append(s.Versions[old].Stages, StagePrevious)
	}
}

// prune drops the oldest versions without labels beyond MaxVersions and
// returns their IDs, for the caller to delete their values.
func (s *Secret) prune() []string {
	var dropped []string
	vs := s.Ordered()
	for i := len(vs) - 1; i >= 0 && len(s.Versions) > MaxVersions; i-- {
		if len(vs[i].Stages) == 0 {
			delete(s.Versions, vs[i].ID)
			dropped = append(dropped, vs[i].ID)
		}
	}
	return dropped
}

func nameChar(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/_+=.@-", r)
}

// ValidateName checks a secret name.
func ValidateName(name string) error {
	if name == "" || len(name) > 512 || strings.IndexFunc(name, func(r rune) bool { return !nameChar(r) }) >= 0 {
		return fault.New(ErrValidation, msgBadName)
	}
	return nil
}

// Partition is the ARN partition of a region.
func Partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// arnPrefix is a secret ARN without the name.
func arnPrefix(s Scope) string {
	return "arn:" + Partition(s.Region) + ":secretsmanager:" + s.Region + ":" + s.Account + ":secret:"
}
