package taskmeta

import "strings"

// resource is what a path asks for.
type resource int

const (
	resContainer resource = iota
	resTask
	resTaskWithTags
	resContainerStats
	resTaskStats
)

// suffixes is what follows /v<n>/<token> for each resource.
var suffixes = [...]string{
	resContainer:      "",
	resTask:           "/task",
	resTaskWithTags:   "/taskWithTags",
	resContainerStats: "/stats",
	resTaskStats:      "/task/stats",
}

func resourceOf(suffix string) (resource, bool) {
	for res, s := range suffixes {
		if s == suffix {
			return resource(res), true
		}
	}
	return 0, false
}

// route is a parsed request path.
type route struct {
	version  version
	token    string
	resource resource
}

// maxTokenLen bounds a token; a UUID is 36 characters.
const maxTokenLen = 128

// parsePath splits /v4/<token>[/task|/taskWithTags|/stats|/task/stats]
// (or /v3/...) into a route. One trailing slash is ignored. A token is
// 1–128 letters, digits, hyphens and underscores. taskWithTags exists in
// v4 only.
func parsePath(p string) (route, bool) {
	var rt route
	switch {
	case strings.HasPrefix(p, "/v4/"):
		rt.version = v4
	case strings.HasPrefix(p, "/v3/"):
		rt.version = v3
	default:
		return route{}, false
	}
	rest := p[len("/v4/"):]
	if len(rest) > 1 && strings.HasSuffix(rest, "/") {
		rest = rest[:len(rest)-1]
	}
	token, suffix := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		token, suffix = rest[:i], rest[i:]
	}
	if !validToken(token) {
		return route{}, false
	}
	res, ok := resourceOf(suffix)
	if !ok || (res == resTaskWithTags && rt.version != v4) {
		return route{}, false
	}
	rt.token, rt.resource = token, res
	return rt, true
}

func validToken(s string) bool {
	if s == "" || len(s) > maxTokenLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}

// String renders the route back into its canonical path.
func (rt route) String() string {
	prefix := "/v4/"
	if rt.version == v3 {
		prefix = "/v3/"
	}
	return prefix + rt.token + suffixes[rt.resource]
}
