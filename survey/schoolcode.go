package survey

// MaxSchoolCodeLen bounds a school code. The national school identifier
// (全国学校标识码) has 10 digits; a county's own codes may use letters too.
const MaxSchoolCodeLen = 20

// SchoolCodeRule says in Chinese what a school code may be.
const SchoolCodeRule = "学校代码应为 10 位全国学校标识码，或不超过 20 位的字母和数字（不含空格和符号）"

// ValidSchoolCode reports whether code is a school code renke accepts: 1 to
// MaxSchoolCodeLen ASCII digits and letters. Codes appear in exported files
// and links, so nothing else (no formula characters, no spaces) is allowed.
func ValidSchoolCode(code string) bool {
	if code == "" || len(code) > MaxSchoolCodeLen {
		return false
	}
	for i := 0; i < len(code); i++ {
		c := code[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}
