package main

import (
	"fmt"
	"os/exec"
	"strings"
)

// cpus is how the machine's CPUs are shared out in a pinned run (-pin):
// the proxy under measurement gets CPUs of its own, the load generator
// and the targets the others, so that a proxy's latency is its own and
// not the time it waited for wrk or a target to leave its CPU. Unpinned,
// both lists are empty and every process may run anywhere.
type cpus struct {
	proxy, load []int
}

// split gives the upper half of n CPUs (at least one) to the proxy and the
// rest to the load; with fewer than 2 CPUs nothing is pinned.
func split(n int) cpus {
	if n < 2 {
		return cpus{}
	}
	var c cpus
	for i := range n {
		if i < n/2 {
			c.load = append(c.load, i)
		} else {
			c.proxy = append(c.proxy, i)
		}
	}
	return c
}

// pinned is argv run on the given CPUs (through taskset), or argv itself
// when set is empty.
func pinned(set []int, argv ...string) []string {
	if len(set) == 0 {
		return argv
	}
	return append([]string{"taskset", "-c", cpuList(set)}, argv...)
}

func cpuList(set []int) string {
	s := make([]string, len(set))
	for i, c := range set {
		s[i] = fmt.Sprint(c)
	}
	return strings.Join(s, ",")
}

// checkTaskset reports whether taskset (util-linux) is there to pin with.
func checkTaskset() error {
	if _, err := exec.LookPath("taskset"); err != nil {
		return fmt.Errorf("-pin needs taskset (apt-get install -y util-linux)")
	}
	return nil
}
