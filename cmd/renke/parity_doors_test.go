package main

// The three doors of the parity test: console form posts, the JSON API and
// the command line run in-process, against one store.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"renke/casework"
	"renke/sampling"
	"renke/survey"
)

// httpClient is a logged-in console user's browser.
type httpClient struct {
	base string
	hc   *http.Client
	csrf string
}

func (p *parityEnv) login(t *testing.T) *httpClient {
	jar, _ := cookiejar.New(nil)
	c := &httpClient{base: p.ts.URL, hc: &http.Client{Jar: jar, Timeout: 5 * time.Minute, // a guard against a hang, not a speed assertion (-race on a loaded machine)
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	res, body := c.send(t, "POST", "/api/v1/session", "application/json", strings.NewReader(`{"name":"admin","password":"`+parityPassword+`"}`))
	var out struct {
		CSRF string `json:"csrf_token"`
	}
	if res.StatusCode != http.StatusOK || json.Unmarshal(body, &out) != nil {
		t.Fatalf("login: %d %s", res.StatusCode, body)
	}
	c.csrf = out.CSRF
	return c
}

func (c *httpClient) send(t *testing.T, method, path, ctype string, body io.Reader) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

// form posts a console form; 303 is acceptance, anything else a refusal page.
func (c *httpClient) form(t *testing.T, path string, v url.Values) outcome {
	t.Helper()
	v.Set("csrf", c.csrf)
	res, body := c.send(t, "POST", path, "application/x-www-form-urlencoded", strings.NewReader(v.Encode()))
	return pageOutcome(res, body)
}

func pageOutcome(res *http.Response, body []byte) outcome {
	if res.StatusCode == http.StatusSeeOther || res.StatusCode == http.StatusCreated {
		loc := res.Header.Get("Location")
		id := ""
		if i := strings.Index(loc, "/console/surveys/"); i >= 0 {
			id = strings.SplitN(strings.SplitN(loc[i+len("/console/surveys/"):], "?", 2)[0], "/", 2)[0]
		}
		return outcome{ok: true, id: id, out: string(body)}
	}
	return outcome{msg: fmt.Sprintf("%d %s", res.StatusCode, html.UnescapeString(string(body)))}
}

// json sends a JSON API request; 2xx is acceptance.
func (c *httpClient) json(t *testing.T, method, path string, v any) (outcome, []byte) {
	t.Helper()
	b, _ := json.Marshal(v)
	res, body := c.send(t, method, path, "application/json", bytes.NewReader(b))
	if res.StatusCode/100 == 2 {
		return outcome{ok: true, out: string(body)}, body
	}
	var e struct {
		Error string `json:"error"`
	}
	json.Unmarshal(body, &e)
	return outcome{msg: e.Error}, body
}

func inputTime(t time.Time) string { return t.In(survey.Shanghai).Format("2006-01-02T15:04") }

func consoleDoor(t *testing.T, p *parityEnv) door {
	c := p.login(t)
	return door{name: "console", actor: "admin", form: true,
		createSurvey: func(t *testing.T, county string, opens, closes time.Time) outcome {
			return c.form(t, "/console/counties/"+url.PathEscape(county)+"/surveys",
				url.Values{"title": {""}, "opens": {inputTime(opens)}, "closes": {inputTime(closes)}})
		},
		open: func(t *testing.T, id string) outcome { return c.form(t, "/console/surveys/"+id+"/open", url.Values{}) },
		frame: func(t *testing.T, id string, f *sampling.Frame) outcome {
			var x bytes.Buffer
			if err := f.WriteXLSX(&x); err != nil {
				t.Fatal(err)
			}
			var body bytes.Buffer
			w := multipart.NewWriter(&body)
			w.WriteField("csrf", c.csrf)
			fw, _ := w.CreateFormFile("frame", "frame.xlsx")
			fw.Write(x.Bytes())
			w.Close()
			res, b := c.send(t, "POST", "/console/surveys/"+id+"/frame", w.FormDataContentType(), &body)
			return pageOutcome(res, b)
		},
		draw: func(t *testing.T, id string, seed int64, void bool) outcome {
			v := url.Values{"seed": {fmt.Sprint(seed)}}
			if void {
				v.Set("void_codes", "1")
			}
			return c.form(t, "/console/surveys/"+id+"/plan", v)
		},
		planCodes: func(t *testing.T, id string) outcome {
			return c.form(t, "/console/surveys/"+id+"/plan/codes", url.Values{})
		},
		issue: func(t *testing.T, id string, in casework.IssueInput) outcome {
			return c.form(t, "/console/surveys/"+id+"/codes", url.Values{"kind": {in.Kind}, "group": {in.Group}, "band": {in.Band},
				"school": {in.School}, "urbanicity": {in.Urbanicity}, "quota": {fmt.Sprint(in.Quota)}, "count": {fmt.Sprint(in.Count)},
				"out_of_plan": {in.OutOfPlan}})
		},
		addUser: func(t *testing.T, name, role, county string) outcome {
			v := url.Values{"name": {name}}
			if role != "" {
				v.Set("role", role)
			}
			if county != "" {
				v.Set("county", county)
			}
			return c.form(t, "/console/users", v)
		},
		phase: func(t *testing.T, id string) string {
			_, body := c.send(t, "GET", "/console/surveys/"+id, "", nil)
			return html.UnescapeString(string(body))
		},
	}
}

func apiDoor(t *testing.T, p *parityEnv) door {
	c := p.login(t)
	return door{name: "api", actor: "admin",
		createSurvey: func(t *testing.T, county string, opens, closes time.Time) outcome {
			o, body := c.json(t, "POST", "/api/v1/counties/"+url.PathEscape(county)+"/surveys", map[string]any{"opens": opens, "closes": closes})
			var sv struct{ ID string }
			json.Unmarshal(body, &sv)
			o.id = sv.ID
			return o
		},
		open: func(t *testing.T, id string) outcome {
			o, _ := c.json(t, "POST", "/api/v1/surveys/"+id+"/open", nil)
			return o
		},
		frame: func(t *testing.T, id string, f *sampling.Frame) outcome {
			b, err := f.JSON()
			if err != nil {
				t.Fatal(err)
			}
			res, body := c.send(t, "PUT", "/api/v1/surveys/"+id+"/frame", "application/json", bytes.NewReader(b))
			if res.StatusCode == http.StatusOK {
				return outcome{ok: true}
			}
			var e struct{ Error string }
			json.Unmarshal(body, &e)
			return outcome{msg: e.Error}
		},
		draw: func(t *testing.T, id string, seed int64, void bool) outcome {
			o, _ := c.json(t, "POST", "/api/v1/surveys/"+id+"/plan", map[string]any{"seed": seed, "void_codes": void})
			return o
		},
		planCodes: func(t *testing.T, id string) outcome {
			o, _ := c.json(t, "POST", "/api/v1/surveys/"+id+"/plan/codes", nil)
			return o
		},
		issue: func(t *testing.T, id string, in casework.IssueInput) outcome {
			o, _ := c.json(t, "POST", "/api/v1/surveys/"+id+"/codes", in)
			return o
		},
		addUser: func(t *testing.T, name, role, county string) outcome {
			in := map[string]any{"name": name, "role": role}
			if county != "" {
				in["counties"] = []string{county}
			}
			o, _ := c.json(t, "POST", "/api/v1/users", in)
			return o
		},
		phase: func(t *testing.T, id string) string {
			_, body := c.send(t, "GET", "/api/v1/surveys/"+id, "", nil)
			var sv struct{ Phase survey.Phase }
			json.Unmarshal(body, &sv)
			return sv.Phase.Label
		},
	}
}

func cliDoor(t *testing.T, p *parityEnv) door {
	ctx := context.Background()
	run := func(t *testing.T, f func(context.Context, []string) error, args ...string) outcome {
		t.Helper()
		var out bytes.Buffer
		stdout = &out
		defer func() { stdout = os.Stdout }()
		// Flags after positional arguments, as an operator types them.
		if err := f(ctx, append(args, p.cliArgs...)); err != nil {
			return outcome{msg: message(err)}
		}
		return outcome{ok: true, out: out.String(), id: strings.TrimSpace(out.String())}
	}
	return door{name: "cli", actor: casework.CLI().Name(),
		createSurvey: func(t *testing.T, county string, opens, closes time.Time) outcome {
			return run(t, surveyCreate, "--county", county, "--opens", opens.Format(time.RFC3339), "--closes", closes.Format(time.RFC3339))
		},
		open: func(t *testing.T, id string) outcome {
			return run(t, func(ctx context.Context, a []string) error { return surveyTransition(ctx, "open", a) }, id)
		},
		frame: func(t *testing.T, id string, f *sampling.Frame) outcome {
			b, err := f.JSON()
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "frame.json")
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
			return run(t, frameUpload, path, "--survey", id)
		},
		draw: func(t *testing.T, id string, seed int64, void bool) outcome {
			args := []string{id, "--seed", fmt.Sprint(seed)}
			if void {
				args = append(args, "--void-codes")
			}
			return run(t, planDraw, args...)
		},
		planCodes: func(t *testing.T, id string) outcome { return run(t, planCodes, id) },
		issue: func(t *testing.T, id string, in casework.IssueInput) outcome {
			args := []string{"--survey", id, "--kind", in.Kind, "--group", in.Group, "--band", in.Band, "--school", in.School,
				"--urbanicity", in.Urbanicity, "--quota", fmt.Sprint(in.Quota), "--count", fmt.Sprint(in.Count), "--out-of-plan", in.OutOfPlan}
			return run(t, codesIssue, args...)
		},
		addUser: func(t *testing.T, name, role, county string) outcome {
			args := []string{"--name", name, "--role", role}
			if county != "" {
				args = append(args, "--county", county)
			}
			return run(t, func(ctx context.Context, a []string) error { return userAdd(ctx, a, strings.NewReader(""), stdout) }, args...)
		},
		phase: func(t *testing.T, id string) string {
			o := run(t, surveyList)
			for _, line := range strings.Split(o.out, "\n") {
				if strings.HasPrefix(line, id) {
					return line
				}
			}
			return ""
		},
	}
}
