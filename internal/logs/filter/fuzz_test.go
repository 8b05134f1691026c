package filter

import (
	"errors"
	"strings"
	"testing"
)

var seedPatterns = []string{
	"", `" "`, "ERROR", "ERROR -ARGUMENTS", "?ERROR ?WARN", `"BAD REQUEST"`, `-"x y"`,
	`%ERR[0-9]+%`, `{ $.level = "error" }`, `{ $.latency > 100 && $.ok IS TRUE }`,
	`{ ($.a = 1 || $.b != "x*") && $.c NOT EXISTS }`, `{ $.a[0].b IS NULL }`, `{ $.m = %t.*o% }`,
	`[ip, user, ..., status=5*, size>100]`, `[..., s >= 400 && s < 500, b]`, `[a="x y", ...]`,
	`[w1 = %^a%, ..., w2 = 1 || w2 = 2]`, `{`, `[`, `{ $. = }`, `[,]`, `"`, `%`,
}

var seedLines = []string{
	"", "[ERROR 400] BAD REQUEST", `{"level":"error","latency":250,"ok":true,"a":[{"b":null}]}`,
	`127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 503 2326`, `{"a":`, `[1,2]`,
	"\x00\xff", `"unterminated [bracket`,
}

// FuzzParse checks that Parse never panics, that its errors are *Error
// with AWS's prefix, and that a parsed pattern can match any line.
func FuzzParse(f *testing.F) {
	for _, p := range seedPatterns {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, src string) {
		p, err := Parse(src)
		if err != nil {
			var fe *Error
			if !errors.As(err, &fe) || !strings.HasPrefix(err.Error(), "Invalid filter pattern: ") {
				t.Fatalf("Parse(%q) returned %T %v", src, err, err)
			}
			return
		}
		if p.String() != src {
			t.Fatalf("String() = %q, want %q", p.String(), src)
		}
		for _, l := range seedLines {
			p.MatchString(l)
		}
	})
}

// FuzzMatch checks that matching any line against any valid pattern
// never panics and is deterministic.
func FuzzMatch(f *testing.F) {
	for _, p := range seedPatterns {
		for _, l := range seedLines {
			f.Add(p, l)
		}
	}
	f.Fuzz(func(t *testing.T, src, line string) {
		p, err := Parse(src)
		if err != nil {
			return
		}
		a, b := p.MatchString(line), p.Match([]byte(line))
		if a != b {
			t.Fatalf("Match(%q, %q) is not deterministic", src, line)
		}
		if p.MatchesAll() && !a {
			t.Fatalf("match-all pattern %q rejected %q", src, line)
		}
	})
}
