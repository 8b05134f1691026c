package alb

import (
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/elb"
)

func TestTraceHeader(t *testing.T) {
	now := time.Unix(0x67891233, 0)
	id := `1-67891233-[0-9a-f]{24}`
	root := "Root=1-67891233-abcdef012345678912345678"
	cases := []struct{ in, want string }{
		{"", `^Root=` + id + `$`},
		{root, `^Self=` + id + `;` + root + `$`},
		{root + ";CalledFrom=app", `^Self=` + id + `;` + root + `;CalledFrom=app$`},
		{"Self=1-11111111-111111111111111111111111;" + root, `^Self=` + id + `;` + root + `$`},
		{"Root=garbage", `^Root=` + id + `$`},
		{"CalledFrom=app", `^Root=` + id + `$`},
	}
	for _, c := range cases {
		if got := traceHeader(c.in, now); !regexp.MustCompile(c.want).MatchString(got) {
			t.Errorf("traceHeader(%q) = %q, want %s", c.in, got, c.want)
		}
	}
	if a, b := newTraceID(now), newTraceID(now); a == b || !validTraceID(a) {
		t.Fatalf("ids %s %s", a, b)
	}
}

func TestPickSlowStart(t *testing.T) {
	now := time.Now()
	warm := &backend{addr: "warm"}
	cold := &backend{addr: "cold"}
	g := &group{algorithm: elb.AlgorithmRoundRobin, slowStart: 100 * time.Second, members: []member{
		{b: warm, since: now.Add(-time.Hour), warm: true},
		{b: cold, since: now.Add(-10 * time.Second)}, // 10% into slow start
	}}
	r := httptest.NewRequest("GET", "/", nil)
	count := map[string]int{}
	for range 10000 {
		b, _ := g.pick(r, now)
		count[b.addr]++
	}
	// Round robin would give cold half; slow start gives it about a tenth
	// of its turns (~5% of all requests).
	if count["cold"] < 200 || count["cold"] > 1000 {
		t.Fatalf("slow start share %v", count)
	}
	// Least outstanding requests prefers the idle target.
	warm.inflight.Store(3)
	g.algorithm = elb.AlgorithmLeastOutReq
	for range 10 {
		if b, _ := g.pick(r, now); b != cold {
			t.Fatal("picked the busy target")
		}
	}
}

func TestPickGroupWeights(t *testing.T) {
	a, b := &group{id: "a"}, &group{id: "b"}
	act := &action{groups: []weighted{{a, 0}, {b, 3}}, totalWeight: 3}
	r := httptest.NewRequest("GET", "/", nil)
	for range 100 {
		if g, _ := act.pickGroup(r); g != b {
			t.Fatal("weight 0 chosen")
		}
	}
	none := &action{groups: []weighted{{a, 0}, {b, 0}}}
	if g, _ := none.pickGroup(r); g != nil {
		t.Fatal("all-zero weights chose a group")
	}
}
