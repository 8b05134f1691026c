package taskmeta

import (
	"strings"
	"testing"
	"time"
)

func TestParsePath(t *testing.T) {
	const tok = "0206b271-b33f-47ab-86c6-a0ba208a70a9"
	tests := []struct {
		path string
		want route
		ok   bool
	}{
		{"/v4/" + tok, route{v4, tok, resContainer}, true},
		{"/v4/" + tok + "/", route{v4, tok, resContainer}, true},
		{"/v4/" + tok + "/task", route{v4, tok, resTask}, true},
		{"/v4/" + tok + "/task/", route{v4, tok, resTask}, true},
		{"/v4/" + tok + "/taskWithTags", route{v4, tok, resTaskWithTags}, true},
		{"/v4/" + tok + "/stats", route{v4, tok, resContainerStats}, true},
		{"/v4/" + tok + "/task/stats", route{v4, tok, resTaskStats}, true},
		{"/v3/" + tok, route{v3, tok, resContainer}, true},
		{"/v3/" + tok + "/task", route{v3, tok, resTask}, true},
		{"/v3/" + tok + "/stats", route{v3, tok, resContainerStats}, true},
		{"/v3/" + tok + "/task/stats", route{v3, tok, resTaskStats}, true},
		{"/v4/under_score", route{v4, "under_score", resContainer}, true},
		{"/v4/" + strings.Repeat("a", maxTokenLen), route{v4, strings.Repeat("a", maxTokenLen), resContainer}, true},

		{path: "/v3/" + tok + "/taskWithTags"},
		{path: ""},
		{path: "/"},
		{path: "/v4"},
		{path: "/v4/"},
		{path: "/v4//"},
		{path: "/v4//task"},
		{path: "/v5/" + tok},
		{path: "/V4/" + tok},
		{path: "v4/" + tok},
		{path: "/v4/" + tok + "//"},
		{path: "/v4/" + tok + "/task//"},
		{path: "/v4/" + tok + "/tasks"},
		{path: "/v4/" + tok + "/Task"},
		{path: "/v4/" + tok + "/stats/task"},
		{path: "/v4/" + tok + "/task/stats/x"},
		{path: "/v4/" + tok + "/../task"},
		{path: "/v4/a.b"},
		{path: "/v4/a%2Fb"},
		{path: "/v4/a b"},
		{path: "/v4/é"},
		{path: "/v4/" + strings.Repeat("a", maxTokenLen+1)},
	}
	for _, tt := range tests {
		got, ok := parsePath(tt.path)
		if ok != tt.ok || got != tt.want {
			t.Errorf("parsePath(%q) = %+v, %v; want %+v, %v", tt.path, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzParsePath checks that parsePath never panics and that whatever it
// accepts is a canonical path (give or take one trailing slash) with a
// well-formed token.
func FuzzParsePath(f *testing.F) {
	for _, s := range []string{
		"/v4/abc", "/v4/abc/", "/v4/abc/task", "/v4/abc/taskWithTags", "/v4/abc/stats",
		"/v4/abc/task/stats", "/v3/abc/task/stats", "/v3/abc/taskWithTags", "/v4/", "/v4//",
		"/v4/a/b/c", "/v2/credentials/x", "/", "", "/v4/\x00", "/v4/abc/task/stats/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		rt, ok := parsePath(p)
		if !ok {
			if rt != (route{}) {
				t.Fatalf("parsePath(%q) rejected but returned %+v", p, rt)
			}
			return
		}
		if !validToken(rt.token) || strings.Contains(rt.token, "/") {
			t.Fatalf("parsePath(%q) accepted token %q", p, rt.token)
		}
		if rt.version != v3 && rt.version != v4 {
			t.Fatalf("parsePath(%q) version %d", p, rt.version)
		}
		if rt.resource == resTaskWithTags && rt.version != v4 {
			t.Fatalf("parsePath(%q) accepted taskWithTags on v%d", p, rt.version)
		}
		if c := rt.String(); p != c && p != c+"/" {
			t.Fatalf("parsePath(%q) = %+v, which renders as %q", p, rt, c)
		}
		if again, ok := parsePath(rt.String()); !ok || again != rt {
			t.Fatalf("parsePath(%q) does not round-trip: %+v, %v", rt.String(), again, ok)
		}
	})
}

func TestStamp(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Time{}, ""},
		{time.Date(2023, 7, 21, 15, 45, 44, 913683140, time.UTC), "2023-07-21T15:45:44.91368314Z"},
		{time.Date(2023, 7, 21, 16, 9, 17, 0, time.UTC), "2023-07-21T16:09:17Z"},
		{time.Date(2023, 7, 21, 17, 9, 17, 1, time.FixedZone("CET", 3600)), "2023-07-21T16:09:17.000000001Z"},
	}
	for _, tt := range tests {
		if got := stamp(tt.in); got != tt.want {
			t.Errorf("stamp(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
