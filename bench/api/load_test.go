package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fakeECS answers DescribeTaskDefinition for any "family:revision" with a
// canned task definition, as fast as it can. Against it the describe phase
// measures the load generator's own ceiling on this machine.
func fakeECS(t *testing.T) *httptest.Server {
	t.Helper()
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct{ TaskDefinition string }
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || !strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".DescribeTaskDefinition") {
			http.Error(w, `{"__type":"InvalidParameterException"}`, http.StatusBadRequest)
			return
		}
		fam, rev, _ := strings.Cut(in.TaskDefinition, ":")
		n, _ := strconv.Atoi(rev)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		fmt.Fprintf(w, `{"taskDefinition":{"family":%q,"revision":%d,"status":"ACTIVE","containerDefinitions":[{"name":"app","image":"nginx","cpu":128,"memory":256,"essential":true}]}}`, fam, n)
	}))
}

func TestDescribePhaseAgainstFake(t *testing.T) {
	srv := fakeECS(t)
	defer srv.Close()
	ds := &dataset{families: []string{familyName(0)}, revs: []int{3}}
	for r := 1; r <= 3; r++ {
		ds.refs = append(ds.refs, tdRef{s: fmt.Sprintf("%s:%d", familyName(0), r), family: familyName(0), rev: int32(r)})
	}
	c := newClient(srv.URL, 16)
	samples, elapsed := runPhase(context.Background(), 2*time.Second, 16, describeOnly(c, ds))
	total, each := summarize(samples, []string{opDescribe}, elapsed)
	if total.Errors != 0 || total.Calls == 0 {
		t.Fatalf("calls %d, errors %d, first error %q", total.Calls, total.Errors, total.FirstError)
	}
	if len(each) != 1 || each[0].Calls != total.Calls {
		t.Fatalf("per-operation results %+v do not add up to %+v", each, total)
	}
	t.Logf("load generator ceiling with an in-process fake server: %.0f calls/s, p50 %.2fms, p99 %.2fms", total.PerSec, total.P50ms, total.P99ms)
}

func TestPercentile(t *testing.T) {
	var s []time.Duration
	for i := 1; i <= 200; i++ {
		s = append(s, time.Duration(i))
	}
	for _, tc := range []struct {
		p    int
		want time.Duration
	}{{50, 100}, {99, 198}, {100, 200}, {1, 2}} {
		if got := percentile(s, tc.p); got != tc.want {
			t.Errorf("p%d = %d, want %d", tc.p, got, tc.want)
		}
	}
	if got := percentile(s[:1], 99); got != 1 {
		t.Errorf("p99 of one sample = %d, want 1", got)
	}
}
