package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/sampling"
	"renke/survey"
)

// scope is what a protected route acts on.
type scope int

const (
	scopeGlobal scope = iota // not tied to a county: a role check only
	scopeCounty              // :county
	scopeSurvey              // :id of a survey
	scopeUser                // :id of a user (admins only)
	scopeSelf                // the user's own session or account
)

// rule is the access rule a protected route must enforce.
type rule struct {
	scope scope
	perm  account.Permission // "" when any logged-in user may
}

// routeRules lists every protected console and API route. The walk fails on
// a protected route missing here, so a new route cannot skip the checks.
var routeRules = map[string]rule{
	"GET /console":                              {scopeGlobal, ""},
	"POST /console/counties":                    {scopeGlobal, account.ManageCounties},
	"GET /console/counties/:county":             {scopeCounty, account.ViewSurvey},
	"POST /console/counties/:county/assign":     {scopeCounty, account.ManageUsers},
	"GET /console/counties/:county/surveys/new": {scopeCounty, account.CreateSurvey},
	"POST /console/counties/:county/surveys":    {scopeCounty, account.CreateSurvey},
	"GET /console/surveys/:id":                  {scopeSurvey, account.ViewSurvey},
	"POST /console/surveys/:id/open":            {scopeSurvey, account.RunSurvey},
	"POST /console/surveys/:id/close":           {scopeSurvey, account.RunSurvey},
	"POST /console/surveys/:id/purge":           {scopeSurvey, account.PurgePersonal},
	"POST /console/surveys/:id/weights":         {scopeSurvey, account.EditSurvey},
	"POST /console/surveys/:id/scheme":          {scopeSurvey, account.EditSurvey},
	"GET /console/surveys/:id/codes":            {scopeSurvey, account.ManageCodes},
	"GET /console/surveys/:id/preview/:form":    {scopeSurvey, account.ViewSurvey},
	"GET /console/preview/:form":                {scopeGlobal, account.ViewSurvey},
	"POST /console/surveys/:id/codes":           {scopeSurvey, account.ManageCodes},
	"GET /console/surveys/:id/codes.csv":        {scopeSurvey, account.ManageCodes},
	"GET /console/surveys/:id/progress":         {scopeSurvey, account.ViewProgress},
	"GET /console/surveys/:id/progress/panel":   {scopeSurvey, account.ViewProgress},
	"GET /console/surveys/:id/sheets.zip":       {scopeSurvey, account.ManageCodes},
	"GET /console/surveys/:id/sampling":         {scopeSurvey, account.ViewSurvey},
	"POST /console/surveys/:id/frame":           {scopeSurvey, account.EditSurvey},
	"POST /console/surveys/:id/plan":            {scopeSurvey, account.EditSurvey},
	"POST /console/surveys/:id/plan/codes":      {scopeSurvey, account.ManageCodes},
	"GET /console/surveys/:id/plan.xlsx":        {scopeSurvey, account.ViewSurvey},
	"GET /console/frame-template.xlsx":          {scopeGlobal, ""},
	"GET /console/city":                         {scopeGlobal, account.ViewReports},
	"GET /console/city.xlsx":                    {scopeGlobal, account.ViewReports},
	"GET /console/city.html":                    {scopeGlobal, account.ViewReports},
	"GET /console/surveys/:id/report":           {scopeSurvey, account.ViewReports},
	"GET /console/surveys/:id/report.html":      {scopeSurvey, account.ViewReports},
	"GET /console/surveys/:id/report.pdf":       {scopeSurvey, account.ViewReports},
	"GET /console/surveys/:id/report.xlsx":      {scopeSurvey, account.ViewReports},
	"GET /console/surveys/:id/export.csv":       {scopeSurvey, account.ViewReports},
	"GET /console/surveys/:id/dossier.zip":      {scopeSurvey, account.ViewReports},
	"GET /console/surveys/:id/stuffing":         {scopeSurvey, account.ViewReports},
	"POST /console/surveys/:id/overrides":       {scopeSurvey, account.OverrideExclusion},
	"POST /console/surveys/:id/quality-rules":   {scopeSurvey, account.OverrideExclusion},
	"GET /console/users":                        {scopeGlobal, account.ManageUsers},
	"POST /console/users":                       {scopeGlobal, account.ManageUsers},
	"POST /console/users/:id":                   {scopeUser, account.ManageUsers},
	"POST /console/users/:id/password":          {scopeUser, account.ManageUsers},
	"GET /console/account":                      {scopeSelf, ""},
	"POST /console/account/password":            {scopeSelf, ""},
	"POST /console/account/totp/new":            {scopeSelf, ""},
	"POST /console/account/totp":                {scopeSelf, ""},
	"POST /console/account/totp/off":            {scopeSelf, ""},
	"GET /console/audit":                        {scopeGlobal, account.ViewAuditLog},
	"POST /logout":                              {scopeSelf, ""},
	"GET /api/v1/session":                       {scopeSelf, ""},
	"DELETE /api/v1/session":                    {scopeSelf, ""},
	"PUT /api/v1/account/password":              {scopeSelf, ""},
	"GET /api/v1/counties":                      {scopeGlobal, ""},
	"POST /api/v1/counties":                     {scopeGlobal, account.ManageCounties},
	"GET /api/v1/counties/:county/surveys":      {scopeCounty, account.ViewSurvey},
	"POST /api/v1/counties/:county/surveys":     {scopeCounty, account.CreateSurvey},
	"GET /api/v1/surveys/:id":                   {scopeSurvey, account.ViewSurvey},
	"POST /api/v1/surveys/:id/open":             {scopeSurvey, account.RunSurvey},
	"POST /api/v1/surveys/:id/close":            {scopeSurvey, account.RunSurvey},
	"GET /api/v1/surveys/:id/stuffing":          {scopeSurvey, account.ViewReports},
	"PUT /api/v1/surveys/:id/group-weights":     {scopeSurvey, account.EditSurvey},
	"PUT /api/v1/surveys/:id/scheme":            {scopeSurvey, account.EditSurvey},
	"GET /api/v1/surveys/:id/codes":             {scopeSurvey, account.ManageCodes},
	"POST /api/v1/surveys/:id/codes":            {scopeSurvey, account.ManageCodes},
	"GET /api/v1/surveys/:id/progress":          {scopeSurvey, account.ViewProgress},
	"GET /api/v1/surveys/:id/audit":             {scopeSurvey, account.ViewSurvey},
	"POST /api/v1/surveys/:id/purge":            {scopeSurvey, account.PurgePersonal},
	"GET /api/v1/surveys/:id/frame":             {scopeSurvey, account.ViewSurvey},
	"PUT /api/v1/surveys/:id/frame":             {scopeSurvey, account.EditSurvey},
	"GET /api/v1/surveys/:id/plan":              {scopeSurvey, account.ViewSurvey},
	"POST /api/v1/surveys/:id/plan":             {scopeSurvey, account.EditSurvey},
	"POST /api/v1/surveys/:id/plan/codes":       {scopeSurvey, account.ManageCodes},
	"GET /api/v1/surveys/:id/report":            {scopeSurvey, account.ViewReports},
	"GET /api/v1/surveys/:id/overrides":         {scopeSurvey, account.ViewReports},
	"POST /api/v1/surveys/:id/overrides":        {scopeSurvey, account.OverrideExclusion},
	"GET /api/v1/surveys/:id/quality-rules":     {scopeSurvey, account.ViewReports},
	"PUT /api/v1/surveys/:id/quality-rules":     {scopeSurvey, account.OverrideExclusion},
	"GET /api/v1/users":                         {scopeGlobal, account.ManageUsers},
	"POST /api/v1/users":                        {scopeGlobal, account.ManageUsers},
	"PATCH /api/v1/users/:id":                   {scopeUser, account.ManageUsers},
	"POST /api/v1/users/:id/password":           {scopeUser, account.ManageUsers},
	"GET /api/v1/audit":                         {scopeGlobal, account.ViewAuditLog},
}

// publicRoutes need no session.
var publicRoutes = map[string]bool{
	"GET /": true, "GET /login": true, "POST /login": true, "GET /console/static/*file": true,
	"GET /api/v1/openapi.json": true, "POST /api/v1/session": true,
	"GET /api/v1/codes/:code/form": true, "POST /api/v1/codes/:code/responses": true,
}

// protectedRoutes lists the server's console and API routes that need a session.
func protectedRoutes(t *testing.T, f *consoleFixture) []gin.RouteInfo {
	t.Helper()
	var out []gin.RouteInfo
	for _, r := range f.srv.Routes() {
		key := r.Method + " " + r.Path
		mine := r.Path == "/console" || strings.HasPrefix(r.Path, "/console/") || r.Path == "/logout" || strings.HasPrefix(r.Path, "/api/v1/")
		if !mine || publicRoutes[key] {
			continue
		}
		if _, ok := routeRules[key]; !ok {
			t.Errorf("route %s has no access rule in routeRules: add one so the walk covers it", key)
			continue
		}
		out = append(out, r)
	}
	if len(out) != len(routeRules) {
		t.Errorf("%d protected routes registered, %d rules: a rule names a route that does not exist", len(out), len(routeRules))
	}
	return out
}

func isAPIPath(p string) bool { return strings.HasPrefix(p, "/api/") }

// fill substitutes the route's parameters.
func fill(path, county, surveyID, userID string) string {
	path = strings.ReplaceAll(path, ":county", url.PathEscape(county))
	path = strings.ReplaceAll(path, ":form", string(survey.SocialForm))
	if strings.Contains(path, "/users/:id") {
		return strings.ReplaceAll(path, ":id", userID)
	}
	return strings.ReplaceAll(path, ":id", surveyID)
}

// call sends the walk's request: empty JSON or a harmless form for changes.
// token nil sends the client's CSRF token; a pointer sends that value ("" none).
func (c *client) call(method, path string, form url.Values, token *string) (*http.Response, []byte) {
	c.t.Helper()
	tok := c.csrf
	if token != nil {
		tok = *token
	}
	hdr := map[string]string{"X-CSRF-Token": ""}
	if method == http.MethodGet {
		return c.do(method, path, "", nil, hdr)
	}
	if isAPIPath(path) {
		if tok != "" {
			hdr["X-CSRF-Token"] = tok
		}
		return c.do(method, path, "application/json", strings.NewReader("{}"), hdr)
	}
	v := url.Values{}
	for k, vs := range form {
		v[k] = vs
	}
	if tok != "" {
		v.Set("csrf", tok)
	}
	return c.do(method, path, "application/x-www-form-urlencoded", strings.NewReader(v.Encode()), hdr)
}

func TestRouteWalkWithoutSession(t *testing.T) {
	f := newConsoleFixture(t)
	anon := f.client()
	for _, r := range protectedRoutes(t, f) {
		path := fill(r.Path, homeCounty, f.home.ID, f.users["victim"].ID)
		res, body := anon.call(r.Method, path, nil, nil)
		if isAPIPath(path) {
			if res.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), "请先登录") {
				t.Errorf("%s %s without session: %d %s, want 401 JSON", r.Method, path, res.StatusCode, body)
			}
			continue
		}
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
			t.Errorf("%s %s without session: %d Location %q, want 303 to /login", r.Method, path, res.StatusCode, loc)
		}
	}
	if got := f.survey(f.home.ID).Status; got != f.home.Status {
		t.Errorf("an anonymous walk changed the survey: %s", got)
	}
}

func TestRouteWalkEveryRoleAndForeignCounty(t *testing.T) {
	f := newConsoleFixture(t)
	routes := protectedRoutes(t, f)
	victim := f.users["victim"].ID
	// Both surveys have a frame and a plan, so reading them is a plain 200.
	for _, sv := range []*survey.Survey{f.home, f.foreign} {
		fr := testFrame()
		p, err := sampling.MakePlan(fr, sampling.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if f.store.SaveFrame(context.Background(), sv.ID, "test", fr) != nil || f.store.SavePlan(context.Background(), sv.ID, "test", p) != nil {
			t.Fatal("save frame and plan")
		}
	}
	form := url.Values{"user": {victim}}
	for _, name := range []string{"eval", "coord", "admin"} {
		u := f.users[name]
		c := f.login(name)
		for _, r := range routes {
			rl := routeRules[r.Method+" "+r.Path]
			if rl.scope == scopeSelf {
				continue
			}
			allowed := rl.perm == "" || u.Role.Can(rl.perm)
			own := fill(r.Path, homeCounty, f.home.ID, victim)
			res, body := c.call(r.Method, own, form, nil)
			switch {
			case !allowed && res.StatusCode != http.StatusForbidden:
				t.Errorf("%s: %s %s: %d %.200s, want 403", name, r.Method, own, res.StatusCode, body)
			case allowed && (res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusForbidden || res.StatusCode == http.StatusNotFound):
				t.Errorf("%s: %s %s: %d %.200s, want it allowed", name, r.Method, own, res.StatusCode, body)
			}
			if rl.scope != scopeSurvey && rl.scope != scopeCounty {
				continue
			}
			foreign := fill(r.Path, foreignCounty, f.foreign.ID, victim)
			res, fbody := c.call(r.Method, foreign, form, nil)
			if u.Role == account.Admin {
				if res.StatusCode == http.StatusForbidden || res.StatusCode == http.StatusNotFound {
					t.Errorf("admin: %s %s: %d, admins see every county", r.Method, foreign, res.StatusCode)
				}
				continue
			}
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %s %s (foreign county): %d %.200s, want 404", name, r.Method, foreign, res.StatusCode, fbody)
			}
			// A foreign survey is answered exactly like one that does not exist.
			missing := fill(r.Path, "不存在县", "nosuchsurvey", victim)
			res2, mbody := c.call(r.Method, missing, form, nil)
			if res2.StatusCode != http.StatusNotFound || (isAPIPath(missing) && string(mbody) != string(fbody)) {
				t.Errorf("%s: %s %s: %d %s; the foreign one gave %s", name, r.Method, missing, res2.StatusCode, mbody, fbody)
			}
		}
	}
}

func TestRouteCSRFRequired(t *testing.T) {
	f := newConsoleFixture(t)
	admin := f.login("admin")
	none, wrong := "", "forged-"+admin.csrf[:10]
	form := url.Values{"user": {f.users["victim"].ID}}
	for _, r := range protectedRoutes(t, f) {
		if r.Method == http.MethodGet {
			continue
		}
		path := fill(r.Path, homeCounty, f.home.ID, f.users["victim"].ID)
		for _, tok := range []*string{&none, &wrong} {
			res, body := admin.call(r.Method, path, form, tok)
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s with CSRF token %q: %d %.200s, want 403", r.Method, path, *tok, res.StatusCode, body)
			}
		}
	}
	// Nothing happened: the survey is still a draft and the admin still logged in.
	if got := f.survey(f.home.ID).Status; got != f.home.Status {
		t.Errorf("a request without a valid CSRF token changed the survey to %s", got)
	}
	if res, _ := admin.get("/api/v1/session"); res.StatusCode != http.StatusOK {
		t.Errorf("a logout without a CSRF token logged the admin out: %d", res.StatusCode)
	}
	// A token from another session is as wrong as a forged one.
	coord := f.login("coord")
	other := coord.csrf
	if res, _ := admin.call("POST", "/api/v1/surveys/"+f.home.ID+"/open", nil, &other); res.StatusCode != http.StatusForbidden {
		t.Errorf("another session's CSRF token: %d, want 403", res.StatusCode)
	}
}
