package ssmapi

import (
	"github.com/quayside/quayside/internal/ssm"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ssmwire"
)

// value is what a read returns as Value: the plaintext, or for a
// SecureString read without decryption the ciphertext, as AWS does.
func (a *API) value(f ssm.Found, decrypt bool) (string, error) {
	if f.Version.Type == ssm.TypeSecureString && !decrypt {
		return ssm.Ciphertext(f.Version), nil
	}
	return a.ps.Value(f)
}

func (a *API) toParameter(f ssm.Found, decrypt bool) (ssmwire.Parameter, error) {
	val, err := a.value(f, decrypt)
	if err != nil {
		return ssmwire.Parameter{}, err
	}
	v := f.Version
	out := ssmwire.Parameter{
		Name:             wire.String(f.Name),
		Type:             wire.String(v.Type),
		Value:            wire.String(val),
		Version:          wire.Int64(v.Version),
		LastModifiedDate: wire.NewTime(v.Modified),
		ARN:              wire.String(ssm.ARN(f.Scope, f.Name)),
		DataType:         wire.String(v.DataType),
	}
	if f.Selector != "" {
		out.Selector = wire.String(f.Selector)
	}
	return out, nil
}

func toMetadata(s ssm.Scope, p ssm.Parameter) ssmwire.ParameterMetadata {
	v := p.Latest
	return ssmwire.ParameterMetadata{
		Name:             wire.String(p.Name),
		ARN:              wire.String(ssm.ARN(s, p.Name)),
		Type:             wire.String(v.Type),
		KeyId:            optString(v.KeyID),
		LastModifiedDate: wire.NewTime(v.Modified),
		LastModifiedUser: wire.String(v.User),
		Description:      optString(v.Description),
		AllowedPattern:   optString(v.AllowedPattern),
		Version:          wire.Int64(v.Version),
		Tier:             wire.String(v.Tier),
		Policies:         toPolicies(v.Policies),
		DataType:         wire.String(v.DataType),
	}
}

func (a *API) toHistory(f ssm.Found, labels []string, decrypt bool) (ssmwire.ParameterHistory, error) {
	val, err := a.value(f, decrypt)
	if err != nil {
		return ssmwire.ParameterHistory{}, err
	}
	v := f.Version
	return ssmwire.ParameterHistory{
		Name:             wire.String(f.Name),
		Type:             wire.String(v.Type),
		KeyId:            optString(v.KeyID),
		LastModifiedDate: wire.NewTime(v.Modified),
		LastModifiedUser: wire.String(v.User),
		Description:      optString(v.Description),
		Value:            wire.String(val),
		AllowedPattern:   optString(v.AllowedPattern),
		Version:          wire.Int64(v.Version),
		Labels:           labels,
		Tier:             wire.String(v.Tier),
		Policies:         toPolicies(v.Policies),
		DataType:         wire.String(v.DataType),
	}, nil
}

func toPolicies(doc string) []ssmwire.ParameterInlinePolicy {
	if doc == "" {
		return nil
	}
	ps, err := ssm.ParsePolicies(doc)
	if err != nil {
		return nil
	}
	out := make([]ssmwire.ParameterInlinePolicy, len(ps))
	for i, p := range ps {
		out[i] = ssmwire.ParameterInlinePolicy{PolicyText: wire.String(p.Text), PolicyType: wire.String(p.Type), PolicyStatus: wire.String("Pending")}
	}
	return out
}

func fromTags(ts []ssmwire.Tag) []ssm.Tag {
	out := make([]ssm.Tag, len(ts))
	for i, t := range ts {
		out[i] = ssm.Tag{Key: wire.ToString(t.Key), Value: wire.ToString(t.Value)}
	}
	return out
}

func toTags(ts []ssm.Tag) []ssmwire.Tag {
	out := make([]ssmwire.Tag, len(ts))
	for i, t := range ts {
		out[i] = ssmwire.Tag{Key: wire.String(t.Key), Value: wire.String(t.Value)}
	}
	return out
}

func fromFilters(fs []ssmwire.ParameterStringFilter) []ssm.Filter {
	out := make([]ssm.Filter, len(fs))
	for i, f := range fs {
		out[i] = ssm.Filter{Key: wire.ToString(f.Key), Option: wire.ToString(f.Option), Values: f.Values}
	}
	return out
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
