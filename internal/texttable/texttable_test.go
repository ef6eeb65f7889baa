package texttable

import (
	"strings"
	"testing"
)

func TestWidth(t *testing.T) {
	for s, want := range map[string]int{"": 0, "abc": 3, "区县": 4, "家长a": 5, "（全部）": 8, "é": 1} {
		if got := Width(s); got != want {
			t.Errorf("Width(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestColumnsAlignByDisplayWidth(t *testing.T) {
	tb := New()
	tb.Row("用户名", "角色", "区县")
	tb.Row("admin", "管理员", "全部")
	tb.Row("协调员张三", "coordinator", "示范县、另一县")
	var b strings.Builder
	if _, err := tb.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("lines = %d, want 3:\n%s", len(lines), b.String())
	}
	// The third column starts at the same display column on every line.
	starts := map[int]bool{}
	for i, l := range lines {
		third := []string{"区县", "全部", "示范县、另一县"}[i]
		at := strings.Index(l, third)
		starts[Width(l[:at])] = true
		if strings.HasSuffix(l, " ") {
			t.Errorf("line %d ends with padding: %q", i, l)
		}
	}
	if len(starts) != 1 {
		t.Errorf("third column starts at display columns %v, want one column:\n%s", starts, b.String())
	}
}
