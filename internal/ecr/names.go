package ecr

import (
	"net"
	"regexp"

	"github.com/quayside/quayside/internal/fault"
)

// Repository name limits, as in the botocore model (RepositoryName).
const (
	MinRepositoryNameLen = 2
	MaxRepositoryNameLen = 256
	// MaxTagLen is the OCI limit on tag length; ECR's model allows 300 but
	// its registry takes OCI tags.
	MaxTagLen = 128
)

// repoNameRE is the RepositoryName pattern of the botocore ecr model,
// which is also the OCI distribution name grammar: path components of
// lowercase alphanumerics separated by '.', '_', '__' or runs of '-',
// joined by '/'. (Older ECR documentation gives the narrower
// (?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*; the
// current model allows "a__b" and "a--b" as well.)
var repoNameRE = regexp.MustCompile(`^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$`)

// tagRE is the OCI tag grammar.
var tagRE = regexp.MustCompile(`^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$`)

// ValidateRepositoryName checks a repository name against ECR's rules.
func ValidateRepositoryName(name string) error {
	if len(name) < MinRepositoryNameLen || len(name) > MaxRepositoryNameLen {
		return fault.Newf(ErrInvalidRepositoryName,
			"Invalid parameter at 'repositoryName' failed to satisfy constraint: 'Member must have length between %d and %d inclusive'",
			MinRepositoryNameLen, MaxRepositoryNameLen)
	}
	if !repoNameRE.MatchString(name) {
		return fault.New(ErrInvalidRepositoryName,
			"Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(\\/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*''")
	}
	return nil
}

// ValidateTag checks an image tag against the OCI tag grammar.
func ValidateTag(tag string) error {
	if !tagRE.MatchString(tag) {
		return fault.Newf(ErrInvalidTag, "invalid tag %q: a tag is 1 to %d characters of letters, digits, '_', '.' and '-', not starting with '.' or '-'", tag, MaxTagLen)
	}
	return nil
}

// RegistryHost is the registry host of repository URIs for a server
// listening on listenAddr (host:port). Loopback and unspecified listen
// addresses give localhost:<port>, which a stock Docker daemon may reach
// over plain HTTP; any other address is used as it is, and then Docker
// needs it listed in insecure-registries (or TLS in front).
func RegistryHost(listenAddr string) string {
	host, port, err := net.SplitHostPort(listenAddr)
	if err != nil {
		return listenAddr
	}
	ip := net.ParseIP(host)
	if host == "" || host == "localhost" || (ip != nil && (ip.IsLoopback() || ip.IsUnspecified())) {
		return "localhost:" + port
	}
	return net.JoinHostPort(host, port)
}

// RepositoryURI is the URI clients push to and pull from.
func RepositoryURI(registryHost, name string) string { return registryHost + "/" + name }
