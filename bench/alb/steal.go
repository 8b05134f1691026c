package main

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// On a virtual machine the hypervisor may run other guests on the
// physical CPU behind the proxy's, and the proxy then stalls for as long
// as that lasts, with nothing on its own CPU to show for it but the
// steal column of /proc/stat. The wire phase reports that time for each
// run, so that a round's tail can be told apart from a busy host's.

// userHZ is the unit of /proc/stat's columns: USER_HZ, 100 on every
// Linux architecture Go runs on.
const userHZ = 100

// stealMeter starts measuring the time stolen from cpus (every CPU when
// empty); the function it returns gives the time since, or 0 where
// /proc/stat cannot be read.
func stealMeter(cpus []int) func() time.Duration {
	t0, ok := readSteal(cpus)
	return func() time.Duration {
		t1, ok1 := readSteal(cpus)
		if !ok || !ok1 || t1 < t0 {
			return 0
		}
		return t1 - t0
	}
}

func readSteal(cpus []int) (time.Duration, bool) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, false
	}
	return parseSteal(string(b), cpus)
}

// parseSteal sums the steal column of the "cpuN" lines of /proc/stat
// for cpus, or takes the "cpu" line's when cpus is empty.
func parseSteal(stat string, cpus []int) (time.Duration, bool) {
	var ticks int64
	found := false
	for line := range strings.Lines(stat) {
		f := strings.Fields(line)
		if len(f) < 9 || !strings.HasPrefix(f[0], "cpu") {
			continue
		}
		if len(cpus) == 0 {
			if f[0] != "cpu" {
				continue
			}
		} else {
			n, err := strconv.Atoi(strings.TrimPrefix(f[0], "cpu"))
			if err != nil || !slices.Contains(cpus, n) {
				continue
			}
		}
		v, err := strconv.ParseInt(f[8], 10, 64)
		if err != nil {
			return 0, false
		}
		ticks += v
		found = true
	}
	return time.Duration(ticks) * time.Second / userHZ, found
}
