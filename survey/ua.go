package survey

import "strings"

// UAFamily reduces a User-Agent to the family kept with a response.
func UAFamily(ua string) string {
	u := strings.ToLower(ua)
	switch {
	case strings.Contains(u, "micromessenger"):
		return "wechat"
	case strings.Contains(u, " qq/") || strings.Contains(u, "mqqbrowser"):
		return "qq"
	case strings.Contains(u, "alipayclient"):
		return "alipay"
	case strings.Contains(u, "edg/"):
		return "edge"
	case strings.Contains(u, "firefox/"):
		return "firefox"
	case strings.Contains(u, "chrome/") || strings.Contains(u, "crios/"):
		return "chrome"
	case strings.Contains(u, "safari/"):
		return "safari"
	}
	return "other"
}
