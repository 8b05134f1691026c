package ecs

import (
	"fmt"
	"strings"

	"github.com/quayside/quayside/internal/fault"
)

// SecretStore is where a secret's value lives.
type SecretStore string

// Secret stores.
const (
	SecretStoreSSM            SecretStore = "ssm"
	SecretStoreSecretsManager SecretStore = "secretsmanager"
)

// DefaultVersionStage is the Secrets Manager version stage used when a
// secret reference names neither a stage nor a version ID.
const DefaultVersionStage = "AWSCURRENT"

// MaxSSMParameterNameLength is the longest SSM parameter name ECS accepts.
const MaxSSMParameterNameLength = 2048

// SecretSource is a parsed secret valueFrom. It has one of these forms:
//
//	name or /path/name                          SSM parameter in the task's region
//	arn:aws:ssm:<region>:<account>:parameter/<name>
//	arn:aws:secretsmanager:<region>:<account>:secret:<name>
//	arn:aws:secretsmanager:<region>:<account>:secret:<name>:<json-key>:<version-stage>:<version-id>
//
// In the last form each of the three suffix fields may be empty but the
// colons stay ("...:secret:db-AbCdEf:password::"); version-stage and
// version-id are mutually exclusive.
type SecretSource struct {
	Store SecretStore
	// ARN is the ARN of the parameter or secret, without any JSON key
	// suffix; empty when an SSM parameter was named by name.
	ARN       string
	Region    string
	AccountID string
	// Name is the SSM parameter name, or the Secrets Manager secret name
	// (with its random suffix, as it appears in the ARN).
	Name         string
	JSONKey      string
	VersionStage string
	VersionID    string
}

// Stage returns the version stage to fetch: the one given, or AWSCURRENT
// when neither a stage nor a version ID was given.
func (s SecretSource) Stage() string {
	if s.VersionStage == "" && s.VersionID == "" && s.Store == SecretStoreSecretsManager {
		return DefaultVersionStage
	}
	return s.VersionStage
}

// secretProblem says what is wrong with a valueFrom.
type secretProblem int

const (
	secretOK secretProblem = iota
	secretBadSSMName
	secretBadSSMARN
	secretBadSecretsManagerARN
	secretStageAndVersion
	secretWrongService
)

// message renders a problem for the secret of the given name. Only the
// SSM name message is confirmed word for word; the others are written in
// its voice.
func (p secretProblem) message(name string) string {
	switch p {
	case secretBadSSMName:
		return fmt.Sprintf("The Systems Manager parameter name specified for secret %s is invalid. "+
			"The parameter name can be up to 2048 characters and include the following letters and symbols: a-zA-Z0-9_.-", name)
	case secretBadSSMARN:
		return fmt.Sprintf("The Systems Manager parameter ARN specified for secret %s is invalid. "+
			"Use arn:aws:ssm:<region>:<account>:parameter/<name>.", name)
	case secretBadSecretsManagerARN:
		return fmt.Sprintf("The Secrets Manager secret ARN specified for secret %s is invalid. "+
			"Use arn:aws:secretsmanager:<region>:<account>:secret:<name>, optionally followed by :<json-key>:<version-stage>:<version-id>.", name)
	case secretStageAndVersion:
		return fmt.Sprintf("The Secrets Manager secret ARN specified for secret %s is invalid. "+
			"Specify either a version-stage or a version-id, not both.", name)
	case secretWrongService:
		return fmt.Sprintf("The valueFrom of secret %s must be a Systems Manager parameter name or ARN, "+
			"or a Secrets Manager secret ARN.", name)
	}
	return ""
}

// ParseSecretSource parses a secret's valueFrom. Errors are
// ClientExceptions.
func ParseSecretSource(valueFrom string) (SecretSource, error) {
	src, p := parseSecretSource(valueFrom)
	if p != secretOK {
		return SecretSource{}, fault.New(ErrClient, p.message(valueFrom))
	}
	return src, nil
}

func parseSecretSource(v string) (SecretSource, secretProblem) {
	if !IsARN(v) {
		if !validSSMName(v) {
			return SecretSource{}, secretBadSSMName
		}
		return SecretSource{Store: SecretStoreSSM, Name: v}, secretOK
	}
	parts := strings.Split(v, ":")
	if len(parts) < 6 || parts[1] == "" {
		return SecretSource{}, secretWrongService
	}
	switch parts[2] {
	case "ssm":
		a, err := ParseARN(v)
		if err != nil {
			return SecretSource{}, secretBadSSMARN
		}
		rest, ok := strings.CutPrefix(a.Resource, "parameter/")
		if !ok || rest == "" {
			return SecretSource{}, secretBadSSMARN
		}
		name := rest
		if strings.Contains(rest, "/") {
			name = "/" + rest // parameter/a/b is the parameter named /a/b
		}
		if !validSSMName(name) {
			return SecretSource{}, secretBadSSMARN
		}
		return SecretSource{Store: SecretStoreSSM, ARN: v, Region: a.Region, AccountID: a.AccountID, Name: name}, secretOK
	case "secretsmanager":
		// arn:partition:secretsmanager:region:account:secret:name[:key:stage:id]
		if (len(parts) != 7 && len(parts) != 10) || parts[5] != "secret" || parts[6] == "" {
			return SecretSource{}, secretBadSecretsManagerARN
		}
		src := SecretSource{
			Store:     SecretStoreSecretsManager,
			ARN:       strings.Join(parts[:7], ":"),
			Region:    parts[3],
			AccountID: parts[4],
			Name:      parts[6],
		}
		if len(parts) == 10 {
			src.JSONKey, src.VersionStage, src.VersionID = parts[7], parts[8], parts[9]
			if src.VersionStage != "" && src.VersionID != "" {
				return SecretSource{}, secretStageAndVersion
			}
		}
		return src, secretOK
	}
	return SecretSource{}, secretWrongService
}

// validSSMName reports whether s is a parameter name ECS accepts: 1 to
// 2048 of a-z A-Z 0-9 _ . - and the / of hierarchical names.
func validSSMName(s string) bool {
	if s == "" || len(s) > MaxSSMParameterNameLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-' || c == '/') {
			return false
		}
	}
	return true
}
