package survey

import (
	"strings"
	"testing"
)

func TestValidSchoolCode(t *testing.T) {
	for _, ok := range []string{"5001030001", "S001", "a1", strings.Repeat("9", MaxSchoolCodeLen)} {
		if !ValidSchoolCode(ok) {
			t.Errorf("%q refused", ok)
		}
	}
	for _, bad := range []string{"", "=1+1", "-A1-A2", "+cmd|x!A0", "@SUM(1)", "\t1", "S 001", "学校1", "S-001", "１２３", strings.Repeat("9", MaxSchoolCodeLen+1)} {
		if ValidSchoolCode(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}

// Codes are never issued for a school code that is not digits and letters.
func TestIssueSpecRefusesBadSchoolCode(t *testing.T) {
	sp := IssueSpec{Kind: SharedCode, Group: Parent, Quota: 3, School: School{Code: `=HYPERLINK("x")`, Name: "a", Urbanicity: Urban}}
	if err := sp.Validate(); err == nil || !strings.Contains(err.Error(), SchoolCodeRule) {
		t.Fatalf("Validate: %v", err)
	}
	sp.School.Code = "5001030001"
	if err := sp.Validate(); err != nil {
		t.Fatal(err)
	}
}
