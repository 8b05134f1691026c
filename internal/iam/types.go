package iam

import "time"

// Tag is a key-value pair on a role or policy. IAM compares tag keys
// ignoring case.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Role is an IAM role.
type Role struct {
	Name       string    `json:"name"`
	ID         string    `json:"id"`
	ARN        string    `json:"arn"`
	Path       string    `json:"path"`
	CreateDate time.Time `json:"createDate"`
	// TrustPolicy is the AssumeRolePolicyDocument as the user sent it.
	TrustPolicy         string `json:"trustPolicy"`
	Description         string `json:"description,omitempty"`
	MaxSessionDuration  int    `json:"maxSessionDuration"`
	PermissionsBoundary string `json:"permissionsBoundary,omitempty"`
	Tags                []Tag  `json:"tags,omitempty"`
	// Attached holds the ARNs of the managed policies attached, in the
	// order they were attached.
	Attached []string `json:"attached,omitempty"`
	// LastUsed is when the role was last assumed, and in which region.
	LastUsed       time.Time `json:"lastUsed,omitzero"`
	LastUsedRegion string    `json:"lastUsedRegion,omitempty"`
}

// InlinePolicy is a policy embedded in a role.
type InlinePolicy struct {
	RoleName string `json:"roleName"`
	Name     string `json:"name"`
	Document string `json:"document"`
}

// ManagedPolicy is a customer managed policy or a built-in AWS managed
// one, with its versions.
type ManagedPolicy struct {
	Name           string          `json:"name"`
	ID             string          `json:"id"`
	ARN            string          `json:"arn"`
	Path           string          `json:"path"`
	Description    string          `json:"description,omitempty"`
	CreateDate     time.Time       `json:"createDate"`
	UpdateDate     time.Time       `json:"updateDate"`
	DefaultVersion string          `json:"defaultVersion"`
	Versions       []PolicyVersion `json:"versions"` // oldest first
	Tags           []Tag           `json:"tags,omitempty"`
	// NextVersion numbers the next version: IAM never reuses one.
	NextVersion int `json:"nextVersion"`
	// AWSManaged marks the built-in policies, which cannot be changed.
	AWSManaged bool `json:"-"`
	// AttachmentCount is computed when the policy is read.
	AttachmentCount int `json:"-"`
}

// PolicyVersion is one version of a managed policy.
type PolicyVersion struct {
	ID         string    `json:"id"` // "v1", "v2", ...
	Document   string    `json:"document"`
	CreateDate time.Time `json:"createDate"`
}

// Version returns the named version.
func (p *ManagedPolicy) Version(id string) (PolicyVersion, bool) {
	for _, v := range p.Versions {
		if v.ID == id {
			return v, true
		}
	}
	return PolicyVersion{}, false
}

// Default returns the default version.
func (p *ManagedPolicy) Default() PolicyVersion {
	v, _ := p.Version(p.DefaultVersion)
	return v
}

// Session is a set of temporary credentials STS handed out.
type Session struct {
	AccessKeyID string `json:"accessKeyId"`
	// Type is "AssumedRole" or "Session" (GetSessionToken).
	Type string `json:"type"`
	// RoleARN and RoleID name the assumed role; empty for GetSessionToken.
	RoleARN string `json:"roleArn,omitempty"`
	RoleID  string `json:"roleId,omitempty"`
	// Name is the role session name.
	Name string `json:"name,omitempty"`
	// ARN is the session's identity: the assumed-role ARN, or the
	// caller's ARN for GetSessionToken.
	ARN        string    `json:"arn"`
	Expiration time.Time `json:"expiration"`
}

// Credentials are temporary credentials with their session.
type Credentials struct {
	Session
	SecretAccessKey string
	SessionToken    string
}
