package ecrapi

import (
	"strings"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/wire"
)

// unchecked is embedded beside the wire request in every request
// wrapper. Its Validate method collides with the request's, so the
// wrapper has none and awsjson does not check the model: checkModel does,
// in ECR's words.
type unchecked struct{}

// Validate is never called; see unchecked.
func (unchecked) Validate(string, *[]wire.Violation) {}

// checkModel runs the model's checks on a request and reports the first
// violation as ECR does: InvalidParameterException, "Invalid parameter at
// '<member>' failed to satisfy constraint: '<constraint>'". Repository
// names get the domain's message (ecr.ValidateRepositoryName), which is
// ECR's.
func checkModel(req wire.Validator) error {
	vs := wire.Validate(req)
	if len(vs) == 0 {
		return nil
	}
	v := vs[0]
	member := memberName(v.Field)
	if strings.HasSuffix(v.Field, "repositoryName") && (v.Rule == "minlen" || v.Rule == "maxlen" || v.Rule == "pattern") {
		if err := ecr.ValidateRepositoryName(v.Value); err != nil {
			return err
		}
	}
	var constraint string
	switch v.Rule {
	case "required":
		constraint = "Member must not be null"
	case "enum":
		constraint = "Member must satisfy enum value set: [" + v.Limit + "]"
	case "minlen":
		constraint = "Member must have length greater than or equal to " + v.Limit
	case "maxlen":
		constraint = "Member must have length less than or equal to " + v.Limit
	case "min":
		constraint = "Member must have value greater than or equal to " + v.Limit
	case "max":
		constraint = "Member must have value less than or equal to " + v.Limit
	case "pattern":
		constraint = "must satisfy regular expression '" + v.Limit + "'"
	default:
		constraint = v.Rule + " " + v.Limit
	}
	return ecr.InvalidParameter(member, constraint)
}

// memberName is the last member of a path, without list indexes:
// "imageIds.2.imageTag" is imageTag, "repositoryNames.1" repositoryNames.
func memberName(path string) string {
	parts := strings.Split(path, ".")
	for i := len(parts) - 1; i >= 0; i-- {
		if !isIndex(parts[i]) {
			return parts[i]
		}
	}
	return path
}

func isIndex(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
