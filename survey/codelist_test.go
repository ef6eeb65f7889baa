package survey

import (
	"strings"
	"testing"
	"time"
)

func TestOrderCodesAndStates(t *testing.T) {
	t0 := time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)
	codes := []Code{
		{Code: "a", Kind: OneTimeCode, Group: Deputy, Batch: "b2", Created: t0.Add(time.Hour)},
		{Code: "b", Kind: SharedCode, Group: Parent, School: "3", SchoolName: "育才小学", Township: "白沙镇", Quota: 5},
		{Code: "c", Kind: SharedCode, Group: CPPCC, Quota: 10},
		{Code: "d", Kind: SharedCode, Group: Parent, School: "2", SchoolName: "白云小学", Township: "白沙镇", Band: BandUpper, Quota: 5},
		{Code: "e", Kind: SharedCode, Group: Student, School: "2", SchoolName: "白云小学", Township: "白沙镇", Quota: 5},
		{Code: "f", Kind: SharedCode, Group: Teacher, School: "1", SchoolName: "阳光小学", Township: "安居镇", Quota: 5},
		{Code: "g", Kind: OneTimeCode, Group: Teacher, School: "1", SchoolName: "阳光小学", Township: "安居镇", Batch: "b1", Created: t0},
		{Code: "h", Kind: SharedCode, Group: Parent, School: "2", SchoolName: "白云小学", Township: "白沙镇", Band: BandLower, Quota: 5},
	}
	OrderCodes(codes)
	var got []string
	for _, c := range codes {
		got = append(got, c.Code)
	}
	// Shared: 安居镇 阳光; 白沙镇 白云 (student, parent g1-2, parent g5-6), 育才; county-wide last. Then batches.
	if s := strings.Join(got, ""); s != "fehdbcga" {
		t.Errorf("order %s, want fehdbcga", s)
	}
	if p := codes[6].Purpose(); p != "教师 · 阳光小学（安居镇）" {
		t.Errorf("purpose %q", p)
	}
	out := Code{Group: Public, Band: "", OutOfPlan: "补发"}
	if p := out.Purpose(); p != "其他群众 · 全县（计划外：补发）" && !strings.HasSuffix(p, "全县（计划外：补发）") {
		t.Errorf("purpose %q", p)
	}
	for _, c := range []struct {
		code Code
		used int64
		want CodeUse
	}{
		{Code{Kind: SharedCode, Quota: 5}, 4, UseOpen},
		{Code{Kind: SharedCode, Quota: 5}, 5, UseFull},
		{Code{Kind: OneTimeCode}, 0, UseUnused},
		{Code{Kind: OneTimeCode}, 1, UseUsed},
		{Code{Kind: OneTimeCode, Voided: t0}, 0, UseVoided},
		{Code{Kind: SharedCode, Quota: 5, Voided: t0}, 5, UseVoided},
	} {
		if got := UseOf(c.code, c.used); got != c.want || got.Label() == "" {
			t.Errorf("UseOf(%+v, %d) = %s, want %s", c.code, c.used, got, c.want)
		}
	}
}
