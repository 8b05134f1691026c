package main

import (
	"testing"
	"time"
)

func TestParseSteal(t *testing.T) {
	const stat = `cpu  66671 0 89592 183606 958 0 44208 2429 0 0
cpu0 49191 0 56804 63300 127 0 26508 891 0 0
cpu1 17480 0 32788 120306 830 0 17699 1538 0 0
intr 123 0 0
ctxt 456
`
	for _, c := range []struct {
		cpus []int
		want time.Duration
	}{
		{nil, 24290 * time.Millisecond},
		{[]int{1}, 15380 * time.Millisecond},
		{[]int{0, 1}, 24290 * time.Millisecond},
	} {
		got, ok := parseSteal(stat, c.cpus)
		if !ok || got != c.want {
			t.Errorf("parseSteal(%v) = %v, %v; want %v", c.cpus, got, ok, c.want)
		}
	}
	if _, ok := parseSteal(stat, []int{7}); ok {
		t.Error("a CPU /proc/stat does not list was found")
	}
	if _, ok := parseSteal("cpu 1 2 3 4 5 6 7 x 9\n", nil); ok {
		t.Error("a malformed steal column was read")
	}
}
