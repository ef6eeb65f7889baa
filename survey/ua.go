package survey

import "strings"

// UAFamily reduces a User-Agent to the family kept with a response: wechat,
// qq, alipay, edge, firefox, chrome, safari or other. In-app browsers come
// first because their User-Agents also name the engine they embed.
func UAFamily(ua string) string {
	u := strings.ToLower(ua)
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(u, s) {
				return true
			}
		}
		return false
	}
	switch {
	case has("micromessenger"):
		return "wechat"
	case has(" qq/", "mqqbrowser", "qqbrowser"):
		return "qq"
	case has("alipayclient"):
		return "alipay"
	case has("edg/", "edga/", "edgios/", "edge/"):
		return "edge"
	case has("firefox/", "fxios/"):
		return "firefox"
	case has("chrome/", "crios/", "chromium/"):
		return "chrome"
	case has("safari/") && has("version/"):
		return "safari"
	}
	return "other"
}
