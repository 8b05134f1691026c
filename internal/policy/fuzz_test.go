package policy

import (
	"errors"
	"testing"
)

// FuzzParse checks that Parse never panics, that it fails only with a
// MalformedError, and that whatever it accepts can be evaluated.
func FuzzParse(f *testing.F) {
	for _, s := range []string{trustECS, taskExecution, secretsScoped, conditioned, `{}`, `[]`, `{"Statement":{}}`, `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAllValues:NumericLessThan":{"a:b":[1,2.5,true]}}}]}`} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(1))
	}
	f.Fuzz(func(t *testing.T, doc string, kind uint8) {
		k := Kind(kind % 3)
		d, err := Parse(doc, k)
		if err != nil {
			var me *MalformedError
			if !errors.As(err, &me) || me.Msg == "" {
				t.Fatalf("Parse error %v is not a MalformedError", err)
			}
			return
		}
		if len(d.Statements) == 0 {
			t.Fatal("a valid document has statements")
		}
		req := Request{Caller: Caller{Type: PrincipalAWS, ID: "arn:aws:iam::000000000000:root"}, Action: "s3:GetObject",
			Resource: "arn:aws:s3:::b/k", Context: Context{"aws:username": {"alice"}, "a:b": {"1", "x"}}}
		_ = d.Evaluate(req)
	})
}

func FuzzGlob(f *testing.F) {
	f.Add("a*b?c", "axxbyc")
	f.Add("**", "")
	f.Fuzz(func(t *testing.T, pattern, s string) {
		// A pattern without wildcards matches exactly itself.
		if Glob(pattern, s) != (pattern == s) && !containsWildcard(pattern) {
			t.Fatalf("Glob(%q, %q) without wildcards disagrees with ==", pattern, s)
		}
		if !Glob("*", s) {
			t.Fatal("* must match everything")
		}
	})
}

func containsWildcard(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '*' || s[i] == '?' {
			return true
		}
	}
	return false
}
