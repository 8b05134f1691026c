package main

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/quayside/quayside/bench/internal/benchproc"
)

// treeRSS is the resident memory, in bytes, of the process and its
// children (nginx's workers).
func treeRSS(p *benchproc.Proc) int64 {
	var total int64
	for _, pid := range tree(p.Pid()) {
		total += benchproc.RSS(pid)
	}
	return total
}

// treeCPU is the CPU time the process and its children have used so far.
func treeCPU(p *benchproc.Proc) time.Duration {
	var total time.Duration
	for _, pid := range tree(p.Pid()) {
		total += benchproc.CPUTime(pid)
	}
	return total
}

// tree is pid and its direct children.
func tree(pid int) []int { return append([]int{pid}, children(pid)...) }

// children lists the direct children of pid.
func children(pid int) []int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
	if err != nil {
		return nil
	}
	var out []int
	for _, f := range strings.Fields(string(b)) {
		if n, err := strconv.Atoi(f); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// freePort returns a port that nothing listens on at host now.
func freePort(host string) (int, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
