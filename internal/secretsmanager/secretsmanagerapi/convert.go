package secretsmanagerapi

import (
	"sort"
	"time"

	"github.com/quayside/quayside/internal/awserr"
	"github.com/quayside/quayside/internal/secretsmanager"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/secretsmanagerwire"
)

// value checks and converts a request's secret value. The model's
// length check counts characters; AWS's limit is 65536 bytes, and the
// model has none for binary values, so both are checked here.
func value(str *string, bin []byte) (secretsmanager.Value, error) {
	var vs []wire.Violation
	if str != nil && len(*str) > secretsmanager.MaxValueBytes {
		vs = append(vs, wire.Violation{Field: "SecretString", Rule: "maxlen", Limit: "65536", Value: "***"})
	}
	if bin != nil && len(bin) == 0 {
		vs = append(vs, wire.Violation{Field: "SecretBinary", Rule: "minlen", Limit: "1", Value: "***"})
	}
	if len(bin) > secretsmanager.MaxValueBytes {
		vs = append(vs, wire.Violation{Field: "SecretBinary", Rule: "maxlen", Limit: "65536", Value: "***"})
	}
	if err := awserr.Violations(vs); err != nil {
		return secretsmanager.Value{}, err
	}
	return secretsmanager.Value{String: str, Binary: bin}, nil
}

func fromTags(ts []secretsmanagerwire.Tag) []secretsmanager.Tag {
	out := make([]secretsmanager.Tag, 0, len(ts))
	for _, t := range ts {
		out = append(out, secretsmanager.Tag{Key: wire.ToString(t.Key), Value: wire.ToString(t.Value)})
	}
	return out
}

func toTags(ts []secretsmanager.Tag) []secretsmanagerwire.Tag {
	if len(ts) == 0 {
		return nil
	}
	out := make([]secretsmanagerwire.Tag, len(ts))
	for i, t := range ts {
		out[i] = secretsmanagerwire.Tag{Key: wire.String(t.Key), Value: wire.String(t.Value)}
	}
	return out
}

func fromFilters(fs []secretsmanagerwire.Filter) []secretsmanager.Filter {
	out := make([]secretsmanager.Filter, len(fs))
	for i, f := range fs {
		out[i] = secretsmanager.Filter{Key: wire.ToString(f.Key), Values: f.Values}
	}
	return out
}

func replication(sec *secretsmanager.Secret) []secretsmanagerwire.ReplicationStatusType {
	var out []secretsmanagerwire.ReplicationStatusType
	for _, r := range sec.Replicas {
		key := r.KmsKeyID
		if key == "" {
			key = "alias/aws/secretsmanager"
		}
		out = append(out, secretsmanagerwire.ReplicationStatusType{Region: wire.String(r.Region), KmsKeyId: wire.String(key),
			Status: wire.String("InSync"), StatusMessage: wire.String("Replication succeeded")})
	}
	return out
}

func primaryRegion(s secretsmanager.Scope, sec *secretsmanager.Secret) *string {
	if len(sec.Replicas) == 0 {
		return nil
	}
	return wire.String(s.Region)
}

func stagesMap(sec *secretsmanager.Secret) map[string][]string {
	m := sec.Staged()
	for _, v := range m {
		sort.Strings(v)
	}
	return m
}

func date(t time.Time) *wire.Time { return wire.NewTime(t) }

func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func describe(s secretsmanager.Scope, sec *secretsmanager.Secret) *secretsmanagerwire.DescribeSecretResponse {
	return &secretsmanagerwire.DescribeSecretResponse{
		ARN:                wire.String(sec.ARN),
		Name:               wire.String(sec.Name),
		Type:               opt(sec.Type),
		Description:        opt(sec.Description),
		KmsKeyId:           opt(sec.KmsKeyID),
		LastChangedDate:    date(sec.LastChanged),
		LastAccessedDate:   date(sec.LastAccessed),
		DeletedDate:        date(sec.Deleted),
		Tags:               toTags(sec.Tags),
		VersionIdsToStages: stagesMap(sec),
		CreatedDate:        date(sec.Created),
		PrimaryRegion:      primaryRegion(s, sec),
		ReplicationStatus:  replication(sec),
	}
}

func listEntry(s secretsmanager.Scope, sec *secretsmanager.Secret) secretsmanagerwire.SecretListEntry {
	return secretsmanagerwire.SecretListEntry{
		ARN:                    wire.String(sec.ARN),
		Name:                   wire.String(sec.Name),
		Type:                   opt(sec.Type),
		Description:            opt(sec.Description),
		KmsKeyId:               opt(sec.KmsKeyID),
		LastChangedDate:        date(sec.LastChanged),
		LastAccessedDate:       date(sec.LastAccessed),
		DeletedDate:            date(sec.Deleted),
		Tags:                   toTags(sec.Tags),
		SecretVersionsToStages: stagesMap(sec),
		CreatedDate:            date(sec.Created),
		PrimaryRegion:          primaryRegion(s, sec),
	}
}
