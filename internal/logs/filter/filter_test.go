package filter

import (
	"errors"
	"strings"
	"testing"
)

// Lines the table tests run against.
var lines = map[string]string{
	"err400":   "[ERROR 400] BAD REQUEST",
	"err401":   "[ERROR 401] UNAUTHORIZED REQUEST",
	"err419":   "[ERROR 419] MISSING ARGUMENTS",
	"err420":   "[ERROR 420] INVALID ARGUMENTS",
	"warn":     "[WARN] disk at 91%",
	"info":     "INFO request served in 12ms",
	"lower":    "error: lowercase only",
	"empty":    "",
	"apache1":  `127.0.0.1 frank alice [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534`,
	"apache2":  `127.0.0.2 bob carlos [10/Oct/2000:13:35:22 -0700] "POST /apache_pb.gif HTTP/1.0" 500 5324`,
	"apache3":  `10.0.0.7 - - [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326`,
	"json1":    `{"level":"error","latency":250,"user":{"id":1,"name":"Admin"},"ok":false,"tags":["a","b"],"items":[{"sku":"x1","qty":2}],"gone":null}`,
	"json2":    `{"level":"info","latency":12.5,"user":{"id":2,"name":"bob"},"ok":true,"tags":[],"code":"404"}`,
	"json3":    `{"eventType":"UpdateTrail","sourceIPAddress":"123.123.123.123","arrayKey":["value","another value"],"objectList":[{"name":"a","id":1},{"name":"b","id":2}],"SomeObject":null,"ThisFlag":true}`,
	"notjson":  `{"level":"error" truncated`,
	"jsonarr":  `["level","error"]`,
	"spaced":   "a  b   c",
	"unicode":  "Grüße aus Köln ERROR",
	"tabbed":   "x\ty\tz",
	"quotedq":  `say "hi" now`,
	"interval": "latency=1e3 ms",
}

func TestMatch(t *testing.T) {
	cases := []struct {
		pattern string
		match   []string // names of lines that match; all others must not
	}{
		// Everything.
		{"", all()},
		{"   ", all()},
		{`" "`, all()},
		{`?" " ERROR`, []string{"err400", "err401", "err419", "err420", "unicode"}},
		// Terms.
		{"ERROR", []string{"err400", "err401", "err419", "err420", "unicode"}},
		{"error", []string{"lower", "json1", "notjson", "jsonarr"}},
		{"ERROR ARGUMENTS", []string{"err419", "err420"}},
		{"ERROR -ARGUMENTS", []string{"err400", "err401", "unicode"}},
		{"ERROR -ARGUMENTS -400", []string{"err401", "unicode"}},
		{"?ERROR ?WARN", []string{"err400", "err401", "err419", "err420", "unicode", "warn"}},
		{"?WARN ?INFO", []string{"warn", "info"}},
		{`"BAD REQUEST"`, []string{"err400"}},
		{`"[ERROR 401]"`, []string{"err401"}},
		{`-"ERROR"`, except("err400", "err401", "err419", "err420", "unicode")},
		{`REQUEST -"BAD REQUEST"`, []string{"err401"}},
		{`?"MISSING ARGUMENTS" ?"BAD REQUEST"`, []string{"err400", "err419"}},
		{"AUTHORIZED", []string{"err401"}},
		{"Köln", []string{"unicode"}},
		{"12ms", []string{"info"}},
		{"disk -full", []string{"warn"}},
		{"apache_pb.gif", []string{"apache2", "apache3"}},
		{`"say \"hi\""`, []string{"quotedq"}},
		// Regular expressions.
		{`%ERROR 4[01][0-9]%`, []string{"err400", "err401", "err419"}},
		{`%^\[WARN\]%`, []string{"warn"}},
		{`%AUTHORIZED%`, []string{"err401"}},
		// JSON.
		{`{ $.level = "error" }`, []string{"json1"}},
		{`{$.level="error"}`, []string{"json1"}},
		{`{ $.level = error }`, []string{"json1"}},
		{`{ $.level != "error" }`, []string{"json2"}},
		{`{ $.level = "err*" }`, []string{"json1"}},
		{`{ $.level = *o }`, []string{"json2"}},
		{`{ $.level = %^inf% }`, []string{"json2"}},
		{`{ $.latency > 100 }`, []string{"json1"}},
		{`{ $.latency >= 250 }`, []string{"json1"}},
		{`{ $.latency < 100 }`, []string{"json2"}},
		{`{ $.latency <= 12.5 }`, []string{"json2"}},
		{`{ $.latency = 12.5 }`, []string{"json2"}},
		{`{ $.latency = 2.5e2 }`, []string{"json1"}},
		{`{ $.latency != 250 }`, []string{"json2"}},
		{`{ $.user.id = 1 }`, []string{"json1"}},
		{`{ $.user.name = "Adm*" }`, []string{"json1"}},
		{`{ $.user.name = "admin" }`, nil},
		{`{ $.level = "error" && $.latency > 100 }`, []string{"json1"}},
		{`{ $.level = "error" && $.latency < 100 }`, nil},
		{`{ $.level = "error" || $.latency < 100 }`, []string{"json1", "json2"}},
		{`{ ($.level = "info" || $.level = "error") && $.ok IS TRUE }`, []string{"json2"}},
		{`{ $.level = "info" || $.level = "error" && $.ok IS TRUE }`, []string{"json2"}},
		{`{ ($.user.id = 2) && ($.tags[0] NOT EXISTS) }`, []string{"json2"}},
		{`{ $.ok IS FALSE }`, []string{"json1"}},
		{`{ $.ok IS TRUE }`, []string{"json2"}},
		{`{ $.ThisFlag is true }`, []string{"json3"}},
		{`{ $.gone IS NULL }`, []string{"json1"}},
		{`{ $.SomeObject IS NULL }`, []string{"json3"}},
		{`{ $.level IS NULL }`, nil},
		{`{ $.code NOT EXISTS }`, []string{"json1", "json3"}},
		{`{ $.code EXISTS }`, []string{"json2"}},
		{`{ $.code = 404 }`, nil},
		{`{ $.code = "404" }`, []string{"json2"}},
		{`{ $.tags[1] = "b" }`, []string{"json1"}},
		{`{ $.items[0].sku = "x1" && $.items[0].qty = 2 }`, []string{"json1"}},
		{`{ $.items[1].sku EXISTS }`, nil},
		{`{ $.arrayKey[1] = "another value" }`, []string{"json3"}},
		{`{ $.objectList[1].id = 2 }`, []string{"json3"}},
		{`{ $.eventType = "UpdateTrail" }`, []string{"json3"}},
		{`{ $.sourceIPAddress != 123.123.* }`, nil},
		{`{ $.sourceIPAddress = 123.123.* }`, []string{"json3"}},
		{`{ $.user = "x" }`, nil},
		// Space-delimited.
		{`[ip, user, username, timestamp, request, status_code, bytes]`, []string{"apache1", "apache2", "apache3"}},
		{`[ip, user, username, timestamp, request, status_code=4*, bytes]`, []string{"apache1"}},
		{`[ip, user, ..., status_code=5*, bytes>1000]`, []string{"apache2"}},
		{`[ip, user, ..., status_code=5*, bytes<1000]`, nil},
		{`[ip, user, username, timestamp, request, status_code != 404, bytes]`, []string{"apache2", "apache3"}},
		{`[..., status_code != 404, bytes]`, except("apache1", "empty", "json1", "json2", "jsonarr")},
		{`[..., status >= 400 && status < 500, size]`, []string{"apache1"}},
		{`[..., status = 404 || status = 500, size]`, []string{"apache1", "apache2"}},
		{`[ip=10.0.0.*, ...]`, []string{"apache3"}},
		{`[ip=%^127\.0\.0\.[0-9]%, ...]`, []string{"apache1", "apache2"}},
		{`[ip, user="-", ...]`, []string{"apache3"}},
		{`[ip, user, username, timestamp, request="GET *", ...]`, []string{"apache1", "apache3"}},
		{`[..., request="POST /apache_pb.gif HTTP/1.0", code, size]`, []string{"apache2"}},
		{`[ip, user, username, timestamp=*2000:13:55:36*, ...]`, []string{"apache3"}},
		{`[w1=ERROR, ...]`, nil},
		{`[w1="ERROR 400", ...]`, []string{"err400"}},
		{`[w1, w2, w3]`, []string{"spaced", "tabbed", "err400", "err401", "err419", "err420", "lower", "quotedq"}},
		{`[a, b]`, []string{"interval", "notjson", "json3"}},
		{`[...]`, all()},
		{`[..., last=1534]`, []string{"apache1"}},
		{`[first=INFO, ..., last=12ms]`, []string{"info"}},
		{`[w1, ..., w2, ..., w3]`, except("empty", "interval", "notjson", "json1", "json2", "json3", "jsonarr")},
	}
	for _, c := range cases {
		t.Run(c.pattern, func(t *testing.T) {
			p, err := Parse(c.pattern)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			want := map[string]bool{}
			for _, n := range c.match {
				if _, ok := lines[n]; !ok {
					t.Fatalf("no line %q", n)
				}
				want[n] = true
			}
			for name, line := range lines {
				if got := p.MatchString(line); got != want[name] {
					t.Errorf("%s: Match(%q) = %v, want %v", name, line, got, want[name])
				}
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct{ pattern, msg string }{
		{`email@domain.com`, "Invalid character(s) in term 'email@domain.com'"},
		{`""`, `Invalid character(s) in term '""'`},
		{`!(foo)`, "Invalid character(s) in term '!(foo)'"},
		{`a?b`, "Invalid character(s) in term 'a?b'"},
		{`- x`, "Invalid character(s) in term '-'"},
		{`"unterminated`, "unterminated quoted string"},
		{`"a"b`, `Invalid character(s) in term '"a"b'`},
		{`{ $.level = "error" `, "expected &&, || or the closing }"},
		{`{ $.level = }`, "expected a value after ="},
		{`{ level = "error" }`, "expected a selector"},
		{`{ $.level "error" }`, "expected an operator, IS or NOT EXISTS"},
		{`{ $.latency > "x" }`, "operator > at position"},
		{`{ $.a IS MAYBE }`, "expected NULL, TRUE or FALSE after IS"},
		{`{ $.a NOT THERE }`, "expected EXISTS after NOT"},
		{`{ $. = 1 }`, "invalid selector"},
		{`{ $.a[x] = 1 }`, "invalid selector"},
		{`{ $ = 1 }`, "invalid selector"},
		{`{ $.a = 1 } trailing`, "the end of the pattern after }"},
		{`{ ($.a = 1 }`, "expected &&, || or )"},
		{`{ $.a = 1 & $.b = 2 }`, "use && or ||"},
		{`{ $.a ! 1 }`, "use != to compare"},
		{`{ $.a = %(x)% }`, "( and ) are not supported"},
		{`{ $.a = %[% }`, "regular expression"},
		{`{ $.a = %abc }`, "unterminated regular expression"},
		{`{}`, "expected a selector"},
		{`[ip, user`, "expected , or ]"},
		{`[ip,, user]`, "expected a field name or ..."},
		{`[ip=]`, "expected a value after ="},
		{`[ip > abc]`, "needs a number"},
		{`[ip] x`, "the end of the pattern after ]"},
		{`[]`, "expected a field name or ..."},
		{`%%`, "empty regular expression"},
		{`%(a)%`, "( and ) are not supported"},
		{strings.Repeat("a", MaxLen+1), "longer than 1024"},
		{"\xff", "not valid UTF-8"},
	}
	for _, c := range cases {
		t.Run(c.pattern, func(t *testing.T) {
			_, err := Parse(c.pattern)
			if err == nil {
				t.Fatal("Parse succeeded")
			}
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("error %T is not *Error", err)
			}
			if !strings.HasPrefix(err.Error(), "Invalid filter pattern: ") || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("error %q does not say %q", err, c.msg)
			}
		})
	}
}

func TestMatchesAll(t *testing.T) {
	for _, p := range []string{"", " ", `" "`, `"   "`, `?" "`} {
		if !MustParse(p).MatchesAll() {
			t.Errorf("%q should match everything", p)
		}
	}
	for _, p := range []string{"a", `-" "`, "[...]", "{ $.a EXISTS }"} {
		if MustParse(p).MatchesAll() {
			t.Errorf("%q should not be match-all", p)
		}
	}
	var nilP *Pattern
	if !nilP.Match([]byte("x")) {
		t.Error("a nil pattern matches everything")
	}
}

func all() []string {
	var out []string
	for n := range lines {
		out = append(out, n)
	}
	return out
}

func except(names ...string) []string {
	skip := map[string]bool{}
	for _, n := range names {
		skip[n] = true
	}
	var out []string
	for n := range lines {
		if !skip[n] {
			out = append(out, n)
		}
	}
	return out
}
