package httpx

import (
	"bytes"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/web/console"
)

// Responder answers console pages and JSON API calls: a page rendered with
// the request's user and CSRF token, or a refusal as JSON or an error page.
type Responder struct {
	Pages *console.Pages
	Log   *slog.Logger
}

// Error maps err to a refusal, logging what is unknown.
func (r *Responder) Error(err error) *Error { return As(r.Log, err) }

// Fail answers with err: JSON for the API, an error page for the console.
func (r *Responder) Fail(c *gin.Context, err error) {
	e := r.Error(err)
	e.SetRetryAfter(c)
	if IsAPI(c) {
		c.AbortWithStatusJSON(e.Status, gin.H{"error": e.Msg})
		return
	}
	r.Render(c, e.Status, "error", console.Frame{Title: StatusTitle(e.Status), Data: console.ErrorPage{Status: e.Status, Message: e.Msg}})
	c.Abort()
}

// Render writes a console page; the frame's user and CSRF token come from the request.
func (r *Responder) Render(c *gin.Context, status int, name string, f console.Frame) {
	f.User = UserOf(c)
	if sess := SessionOf(c); sess != nil {
		f.CSRF = sess.CSRF
	}
	var buf bytes.Buffer
	if err := r.Pages.Render(&buf, name, f); err != nil {
		r.Log.Error("render console page", "page", name, "err", err)
		c.String(http.StatusInternalServerError, "页面渲染失败")
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// FilesOnly serves the files of fsys and nothing else: a directory (the
// root included) is "not found", so no listing of the assets is ever shown.
func FilesOnly(fsys fs.FS) http.FileSystem {
	return noDirs{http.FS(fsys)}
}

type noDirs struct{ http.FileSystem }

// Open opens name unless it is a directory.
func (n noDirs) Open(name string) (http.File, error) {
	f, err := n.FileSystem.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		_ = f.Close()
		return nil, errors.Join(fs.ErrNotExist, err)
	}
	return f, nil
}
