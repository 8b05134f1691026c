package ecs

import (
	"errors"
	"testing"

	"github.com/quayside/quayside/internal/fault"
)

func TestParseCPU(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"1024", 1024},
		{"256", 256},
		{"1 vCPU", 1024},
		{"1 vcpu", 1024},
		{"2vCPU", 2048},
		{"0.25 vCPU", 256},
		{".5 vCPU", 512},
		{" 4 VCPU ", 4096},
		{"0.125 vCPU", 128},
		{"", 0},
		{"vCPU", 0},
		{"-1", 0},
		{"0", 0},
		{"1.5", 0},
		{"0.3 vCPU", 0}, // 307.2 units is not whole
		{"1 cpu", 0},
		{"1e3", 0},
		{"99999999999", 0},
		{"1..2 vCPU", 0},
	} {
		got, err := ParseCPU(tc.in)
		if tc.want == 0 {
			if err == nil || !errors.Is(err, ErrClient) {
				t.Errorf("ParseCPU(%q) = %d, %v; want ClientException", tc.in, got, err)
			} else if msg, _ := fault.Message(err); msg != "Invalid 'cpu' setting for task." {
				t.Errorf("ParseCPU(%q) message %q", tc.in, msg)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseCPU(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
}

func TestParseMemory(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"2048", 2048},
		{"2 GB", 2048},
		{"2GB", 2048},
		{"2 gb", 2048},
		{"0.5 GB", 512},
		{"30 GB", 30720},
		{"", 0},
		{"2 TB", 0},
		{"2 MiB", 0},
		{"GB", 0},
		{"-512", 0},
	} {
		got, err := ParseMemory(tc.in)
		if tc.want == 0 {
			if err == nil || !errors.Is(err, ErrClient) {
				t.Errorf("ParseMemory(%q) = %d, %v; want ClientException", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseMemory(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
}

func TestFargateSizeValid(t *testing.T) {
	// Every pair of ECS-BEHAVIOUR.md's table, and the values just outside.
	table := map[int][3]int{ // cpu: min, max, step
		512: {1024, 4096, 1024}, 1024: {2048, 8192, 1024}, 2048: {4096, 16384, 1024},
		4096: {8192, 30720, 1024}, 8192: {16384, 61440, 4096}, 16384: {32768, 122880, 8192},
	}
	for cpu, r := range table {
		for m := r[0]; m <= r[1]; m += r[2] {
			if !FargateSizeValid(cpu, m, false) {
				t.Errorf("FargateSizeValid(%d, %d) = false, want true", cpu, m)
			}
		}
		for _, m := range []int{r[0] - r[2], r[1] + r[2], r[0] + r[2]/2} {
			if FargateSizeValid(cpu, m, false) {
				t.Errorf("FargateSizeValid(%d, %d) = true, want false", cpu, m)
			}
		}
		if got := len(FargateMemoryValues(cpu)); got != (r[1]-r[0])/r[2]+1 {
			t.Errorf("FargateMemoryValues(%d) has %d values", cpu, got)
		}
	}
	for _, tc := range []struct {
		cpu, mem int
		windows  bool
		want     bool
	}{
		{256, 512, false, true},
		{256, 1024, false, true},
		{256, 2048, false, true},
		{256, 1536, false, false},
		{256, 3072, false, false},
		{128, 512, false, false},
		{3072, 8192, false, false},
		{256, 512, true, false},
		{512, 1024, true, false},
		{1024, 2048, true, true},
		{4096, 30720, true, true},
		{8192, 16384, true, false},
		{16384, 32768, true, false},
	} {
		if got := FargateSizeValid(tc.cpu, tc.mem, tc.windows); got != tc.want {
			t.Errorf("FargateSizeValid(%d, %d, windows=%v) = %v, want %v", tc.cpu, tc.mem, tc.windows, got, tc.want)
		}
	}
	if FargateMemoryValues(3000) != nil {
		t.Error("FargateMemoryValues(3000) should be nil")
	}
}
