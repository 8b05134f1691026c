package ssm

import (
	"context"
	"encoding/json"
	"regexp"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// PutInput is a PutParameter request, in domain terms. Empty strings are
// "not given".
type PutInput struct {
	Name, Value, Type, KeyID, Description string
	AllowedPattern                        *string // nil: not given; "" clears it
	Overwrite                             bool
	Tags                                  []Tag
	Tier, Policies, DataType              string
	User                                  string // the caller's ARN, recorded as LastModifiedUser
}

var amiID = regexp.MustCompile(`^ami-([0-9a-f]{8}|[0-9a-f]{17})$`)

// Put creates a parameter or, with Overwrite, a new version of it, and
// returns the version written.
func (ps *ParameterStore) Put(ctx context.Context, s Scope, in PutInput) (Version, error) {
	if err := ValidateName(s, in.Name); err != nil {
		return Version{}, err
	}
	if in.Overwrite && len(in.Tags) > 0 {
		return Version{}, fault.New(ErrValidation, msgTagsWithOverwrite)
	}
	if len(in.Tags) > MaxTags {
		return Version{}, fault.New(ErrTooManyTags, msgTooManyTags)
	}
	var out Version
	err := ps.st.Update(ctx, func(tx store.Tx) error {
		p, exists, err := getParam(tx, s, in.Name)
		if err != nil {
			return err
		}
		if exists && !in.Overwrite {
			return fault.New(ErrParameterAlreadyExists, msgAlreadyExists)
		}
		var prev *Version
		if exists {
			prev = &p.Latest
		}
		v, err := ps.newVersion(s, in, prev)
		if err != nil {
			return err
		}
		if !exists {
			p = Parameter{Name: in.Name, Tags: in.Tags}
		}
		if err := retire(tx, s, &p, v.Version); err != nil {
			return err
		}
		p.Latest = v
		if err := store.Put(tx, Versions, versionKey(s, in.Name, v.Version), v); err != nil {
			return err
		}
		out = v
		return store.Put(tx, Parameters, paramKey(s, in.Name), p)
	})
	return out, err
}

// newVersion builds the next version from the request and the previous
// version, if any, enforcing type, tier, size, pattern and data type.
func (ps *ParameterStore) newVersion(s Scope, in PutInput, prev *Version) (Version, error) {
	v := Version{Version: 1, Type: in.Type, Description: in.Description, KeyID: in.KeyID, Tier: in.Tier,
		Policies: in.Policies, DataType: in.DataType, Modified: ps.now(), User: in.User}
	if in.AllowedPattern != nil {
		v.AllowedPattern = *in.AllowedPattern
	}
	if prev != nil {
		v.Version = prev.Version + 1
		if v.Type == "" {
			v.Type = prev.Type
		}
		if in.Description == "" {
			v.Description = prev.Description
		}
		if in.AllowedPattern == nil {
			v.AllowedPattern = prev.AllowedPattern
		}
		if v.DataType == "" {
			v.DataType = prev.DataType
		}
		if v.KeyID == "" && v.Type == prev.Type {
			v.KeyID = prev.KeyID
		}
	}
	switch v.Type {
	case "":
		return v, fault.New(ErrValidation, msgTypeRequired)
	case TypeString, TypeStringList:
		v.KeyID = ""
	case TypeSecureString:
		if v.KeyID == "" {
			v.KeyID = DefaultKeyID
		}
	default:
		return v, fault.Newf(ErrUnsupportedParameterType, "The parameter type %s isn't supported.", v.Type)
	}
	if err := ps.tier(&v, in, prev); err != nil {
		return v, err
	}
	if err := checkDataType(&v, in.Value); err != nil {
		return v, err
	}
	if v.AllowedPattern != "" {
		re, err := regexp.Compile(v.AllowedPattern)
		if err != nil {
			return v, fault.New(ErrInvalidAllowedPattern, msgBadPattern)
		}
		if !re.MatchString(in.Value) {
			return v, patternMismatch(v.AllowedPattern)
		}
	}
	if v.Type == TypeSecureString {
		sealed, err := ps.box.Seal([]byte(in.Value), aad(s, in.Name, v.Version))
		if err != nil {
			return v, err
		}
		v.Sealed = sealed
	} else {
		v.Value = in.Value
	}
	return v, nil
}

// tier settles the version's tier and checks the value's size against it.
func (ps *ParameterStore) tier(v *Version, in PutInput, prev *Version) error {
	size := len(in.Value)
	if v.Policies != "" {
		if err := checkPolicies(v.Policies); err != nil {
			return err
		}
	}
	switch v.Tier {
	case "":
		v.Tier = TierStandard
		if prev != nil && prev.Tier == TierAdvanced {
			v.Tier = TierAdvanced
		}
	case TierIntelligentTiering:
		v.Tier = TierStandard
		if size > MaxStandardValue || v.Policies != "" || prev != nil && prev.Tier == TierAdvanced {
			v.Tier = TierAdvanced
		}
	case TierStandard:
		if prev != nil && prev.Tier == TierAdvanced {
			return fault.New(ErrValidation, msgDowngrade)
		}
	}
	switch {
	case v.Tier == TierStandard && size > MaxStandardValue:
		return fault.New(ErrValidation, msgStandardTooLarge)
	case size > MaxAdvancedValue:
		return fault.New(ErrValidation, msgAdvancedTooLarge)
	case v.Tier == TierStandard && v.Policies != "":
		return fault.New(ErrValidation, msgPoliciesOnStd)
	}
	return nil
}

func checkDataType(v *Version, value string) error {
	switch v.DataType {
	case "":
		v.DataType = DataTypeText
	case DataTypeText, DataTypeIntegration:
	case DataTypeEC2Image:
		if v.Type != TypeString {
			return fault.New(ErrValidation, msgAMINotString)
		}
		if !amiID.MatchString(value) {
			return fault.New(ErrValidation, msgInvalidAMI)
		}
	default:
		return unsupportedDataType(v.DataType)
	}
	return nil
}

// Policy is one parameter policy.
type Policy struct {
	Type string `json:"Type"`
	Text string `json:"-"`
}

// ParsePolicies reads a Policies document: a JSON array of policies.
func ParsePolicies(doc string) ([]Policy, error) {
	var raw []json.RawMessage
	if err := json.Unmarshal([]byte(doc), &raw); err != nil {
		return nil, fault.New(ErrInvalidPolicyType, msgBadPolicies)
	}
	out := make([]Policy, 0, len(raw))
	for _, r := range raw {
		var p Policy
		if err := json.Unmarshal(r, &p); err != nil {
			return nil, fault.New(ErrInvalidPolicyType, msgBadPolicies)
		}
		switch p.Type {
		case "Expiration", "ExpirationNotification", "NoChangeNotification":
		default:
			return nil, fault.New(ErrInvalidPolicyType, msgBadPolicies)
		}
		p.Text = string(r)
		out = append(out, p)
	}
	return out, nil
}

func checkPolicies(doc string) error {
	_, err := ParsePolicies(doc)
	return err
}

// retire makes room for version next: Parameter Store keeps the 100 most
// recent versions and drops the oldest, unless it carries a label.
func retire(tx store.Tx, s Scope, p *Parameter, next int64) error {
	oldest := next - MaxVersions
	if oldest < 1 {
		return nil
	}
	if len(p.LabelsOf(oldest)) > 0 {
		return maxVersions(p.Name, oldest)
	}
	return tx.Delete(Versions, versionKey(s, p.Name, oldest))
}
