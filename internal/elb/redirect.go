package elb

import (
	"slices"
	"strconv"
	"strings"

	"github.com/quayside/quayside/internal/fault"
)

// Redirect placeholders.
const (
	PlaceholderProtocol = "#{protocol}"
	PlaceholderHost     = "#{host}"
	PlaceholderPort     = "#{port}"
	PlaceholderPath     = "#{path}" // the request path without its leading "/"
	PlaceholderQuery    = "#{query}"
	defaultRedirectPath = "/#{path}"
)

// FillRedirectDefaults sets the fields a user left empty to the values
// AWS reports for them: each component keeps the request's value.
func FillRedirectDefaults(r *RedirectConfig) {
	if r.Protocol == "" {
		r.Protocol = PlaceholderProtocol
	}
	if r.Port == "" {
		r.Port = PlaceholderPort
	}
	if r.Host == "" {
		r.Host = PlaceholderHost
	}
	if r.Path == "" {
		r.Path = defaultRedirectPath
	}
	if r.Query == "" {
		r.Query = PlaceholderQuery
	}
}

func validateRedirect(r *RedirectConfig) error {
	if r == nil {
		return invalid("A redirect configuration must be specified for a redirect action")
	}
	FillRedirectDefaults(r)
	switch r.StatusCode {
	case "HTTP_301", "HTTP_302":
	case "":
		return invalid("A status code must be specified for a redirect action")
	default:
		return invalid("Redirect status code '%s' is not valid; use HTTP_301 or HTTP_302", r.StatusCode)
	}
	switch r.Protocol {
	case PlaceholderProtocol, ProtocolHTTP, ProtocolHTTPS:
	default:
		return invalid("Redirect protocol '%s' is not valid; use HTTP, HTTPS or #{protocol}", r.Protocol)
	}
	if r.Port != PlaceholderPort {
		if n, err := strconv.Atoi(r.Port); err != nil || n < 1 || n > 65535 {
			return invalid("Redirect port '%s' must be from 1 to 65535, or #{port}", r.Port)
		}
	}
	if len(r.Host) > 128 || len(r.Path) > 128 || len(r.Query) > 128 {
		return invalid("Redirect host, path and query can each be at most 128 characters")
	}
	if !strings.HasPrefix(r.Path, "/") {
		return invalid("Redirect path '%s' must start with a '/'", r.Path)
	}
	if strings.HasPrefix(r.Query, "?") {
		return invalid("Redirect query '%s' must not start with a '?'", r.Query)
	}
	if r.Protocol == PlaceholderProtocol && r.Port == PlaceholderPort && r.Host == PlaceholderHost && r.Path == defaultRedirectPath {
		return fault.New(ErrInvalidLoadBalancerAction, "The redirect action would redirect to the same URL: change at least one of protocol, host, port or path")
	}
	return nil
}

// CheckRedirectFromListener refuses a redirect from HTTPS to HTTP, which
// AWS does not allow.
func CheckRedirectFromListener(actions []Action, listenerProtocol string) error {
	for _, a := range actions {
		if a.Redirect != nil && listenerProtocol == ProtocolHTTPS && a.Redirect.Protocol == ProtocolHTTP {
			return fault.New(ErrInvalidLoadBalancerAction, "You cannot redirect HTTPS to HTTP")
		}
	}
	return nil
}

// FixedResponseContentTypes are the content types a fixed response may
// declare.
var FixedResponseContentTypes = []string{"text/plain", "text/css", "text/html", "application/javascript", "application/json"}

func validateFixed(f *FixedResponseConfig) error {
	if f == nil {
		return invalid("A fixed-response configuration must be specified for a fixed-response action")
	}
	c := f.StatusCode
	if len(c) != 3 || !strings.ContainsRune("245", rune(c[0])) || !isDigits(c[1:]) {
		return invalid("Fixed response status code '%s' is not valid; it must be 2XX, 4XX or 5XX", c)
	}
	if f.ContentType != "" && !slices.Contains(FixedResponseContentTypes, f.ContentType) {
		return invalid("Fixed response content type '%s' is not valid; use one of %s", f.ContentType, strings.Join(FixedResponseContentTypes, ", "))
	}
	if len(f.MessageBody) > 1024 {
		return invalid("A fixed response message body can be at most 1024 characters")
	}
	return nil
}

func isDigits(s string) bool {
	return allBytes(s, func(c byte) bool { return c >= '0' && c <= '9' })
}
