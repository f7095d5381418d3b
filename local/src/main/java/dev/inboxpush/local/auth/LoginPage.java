package dev.inboxpush.local.auth;

import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.util.HtmlUtils;

/**
 * {@code GET /login}: a form with one field, the user name, posted to Spring Security's form login
 * ({@code POST /login}, with the CSRF token). It says on the page that any name is accepted and
 * that there is no password (see {@link AnyUserName}). Stateless.
 */
@Controller
final class LoginPage {

  @GetMapping(value = "/login", produces = MediaType.TEXT_HTML_VALUE)
  @ResponseBody
  String login(
      CsrfToken csrf, @RequestParam(name = "error", required = false) @Nullable String error) {
    String message =
        error == null
            ? ""
            : "<p role=\"alert\">Not signed in: a user name of 1 to "
                + AnyUserName.MAX_LENGTH
                + " characters is needed.</p>";
    return """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>inbox-push local sign-in</title></head>
        <body>
        <h1>inbox-push local sign-in</h1>
        <p>This is the local authorization server: <strong>any user name</strong> signs in and
        becomes the token's subject, so you can act as several users. There is no password.</p>
        %s
        <form method="post" action="/login">
        <label for="username">User name</label>
        <input id="username" name="username" autofocus required maxlength="%d">
        <input type="hidden" name="%s" value="%s">
        <button type="submit">Sign in</button>
        </form>
        </body>
        </html>
        """
        .formatted(
            message,
            AnyUserName.MAX_LENGTH,
            HtmlUtils.htmlEscape(csrf.getParameterName()),
            HtmlUtils.htmlEscape(csrf.getToken()));
  }
}
