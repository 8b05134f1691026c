package ssm

import (
	"encoding/base64"
	"sort"
	"strconv"
	"time"

	"github.com/quayside/quayside/internal/secretbox"
)

// Parameter types.
const (
	TypeString       = "String"
	TypeStringList   = "StringList"
	TypeSecureString = "SecureString"
)

// Tiers.
const (
	TierStandard           = "Standard"
	TierAdvanced           = "Advanced"
	TierIntelligentTiering = "Intelligent-Tiering"
)

// Data types.
const (
	DataTypeText        = "text"
	DataTypeEC2Image    = "aws:ec2:image"
	DataTypeIntegration = "aws:ssm:integration"
)

// DefaultKeyID is the KMS key SecureString parameters use unless told.
const DefaultKeyID = "alias/aws/ssm"

// Tag is a resource tag.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Version is one version of a parameter, as stored. A SecureString's
// value is only ever held sealed.
type Version struct {
	Version        int64     `json:"version"`
	Type           string    `json:"type"`
	Value          string    `json:"value,omitempty"`  // String and StringList
	Sealed         []byte    `json:"sealed,omitempty"` // SecureString, sealed by secretbox
	KeyID          string    `json:"keyId,omitempty"`
	Description    string    `json:"description,omitempty"`
	AllowedPattern string    `json:"allowedPattern,omitempty"`
	Tier           string    `json:"tier"`
	Policies       string    `json:"policies,omitempty"`
	DataType       string    `json:"dataType"`
	Modified       time.Time `json:"modified"`
	User           string    `json:"user"`
}

// Parameter is a parameter's record: its latest version, and the labels
// and tags that span versions.
type Parameter struct {
	Name   string           `json:"name"`
	Latest Version          `json:"latest"`
	Labels map[string]int64 `json:"labels,omitempty"` // label → version
	Tags   []Tag            `json:"tags,omitempty"`
}

// LabelsOf returns the labels attached to version v, sorted.
func (p *Parameter) LabelsOf(v int64) []string {
	var out []string
	for l, lv := range p.Labels {
		if lv == v {
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out
}

// aad binds a sealed value to its parameter and version.
func aad(s Scope, name string, version int64) []byte {
	return secretbox.AAD("ssm", s.Region, s.Account, name, strconv.FormatInt(version, 10))
}

// Ciphertext is the form AWS returns for a SecureString read without
// decryption: the encrypted value, base64.
func Ciphertext(v Version) string { return base64.StdEncoding.EncodeToString(v.Sealed) }

// Found is a parameter version a read selected.
type Found struct {
	Scope    Scope
	Name     string
	Selector string // ":3" or ":label" when the request named one
	Version  Version
}
