//go:build race

package alb

// raceEnabled: the race detector doubles goroutine stack guards.
const raceEnabled = true
