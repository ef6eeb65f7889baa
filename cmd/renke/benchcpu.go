package main

import (
	"fmt"
	"os"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used (user and system): on a
// shared machine a steadier measure of work than the wall clock. The embedded
// store runs in this process, so it counts the server's and the store's work.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// startProfile writes a CPU profile to path until the returned stop is called.
func startProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// loadAverage is the machine's one-minute load average, as /proc/loadavg
// gives it ("?" where there is none): on a shared machine, the figure to
// read each measurement beside.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "?"
}

// measured runs run, which returns how many requests it made, and says
// the load average before and after and this process's CPU per request
// (server, embedded store and in-process Redis; not a separate
// redis-server's).
func measured(run func() int64) string {
	load0, cpu0 := loadAverage(), cpuTime()
	n := run()
	cpu := cpuTime() - cpu0
	per := time.Duration(0)
	if n > 0 {
		per = cpu / time.Duration(n)
	}
	return fmt.Sprintf("load average %s → %s, CPU %v per request (this process)", load0, loadAverage(), per.Round(time.Microsecond))
}
