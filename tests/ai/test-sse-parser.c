/* test-sse-parser.c: the SSE parser and the chat-chunk reader, fed every way a network can cut
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-sse-parser"

#include "config.h"

#include <string.h>

#include "loom-ai-stream.h"
#include "loom-sse-parser.h"

/* Feeds @text cut at @cuts (sorted byte offsets) and returns the events' data, "|"-joined. */
static char *
parse_cut (const char  *text,
           const gsize *cuts,
           guint        n_cuts,
           guint       *n_comments)
{
  g_autoptr(LoomSseParser) parser = loom_sse_parser_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  gsize len = strlen (text);
  gsize at = 0;
  LoomSseEvent *event;

  for (guint i = 0; i <= n_cuts; i++)
    {
      gsize end = i < n_cuts ? cuts[i] : len;

      loom_sse_parser_feed (parser, text + at, end - at);
      at = end;
    }

  while ((event = loom_sse_parser_pop (parser)) != NULL)
    {
      if (out->len > 0)
        g_string_append_c (out, '|');
      if (event->type != NULL)
        g_string_append_printf (out, "%s=", event->type);
      g_string_append_len (out, event->data, event->length);
      loom_sse_event_free (event);
    }

  if (n_comments != NULL)
    *n_comments = loom_sse_parser_get_n_comments (parser);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
parse_whole (const char *text)
{
  return parse_cut (text, NULL, 0, NULL);
}

/* Every one- and two-cut split of @text gives @expected. */
static void
assert_all_splits (const char *text,
                   const char *expected)
{
  gsize len = strlen (text);

  for (gsize i = 0; i <= len; i++)
    {
      g_autofree char *got = parse_cut (text, &i, 1, NULL);

      if (g_strcmp0 (got, expected) != 0)
        g_error ("cut at %" G_GSIZE_FORMAT ": got “%s”, expected “%s”", i, got, expected);
    }

  for (gsize i = 0; i <= len; i += 3)
    for (gsize j = i; j <= len; j++)
      {
        gsize cuts[2] = { i, j };
        g_autofree char *got = parse_cut (text, cuts, 2, NULL);

        g_assert_cmpstr (got, ==, expected);
      }

  /* one byte at a time */
  {
    g_autofree gsize *cuts = g_new (gsize, len);
    g_autofree char *got = NULL;

    for (gsize i = 0; i < len; i++)
      cuts[i] = i + 1;
    got = parse_cut (text, cuts, len, NULL);
    g_assert_cmpstr (got, ==, expected);
  }
}

static void
test_sse_basic (void)
{
  g_autofree char *got = parse_whole ("data: one\n\ndata: two\n\n");

  g_assert_cmpstr (got, ==, "one|two");
}

static void
test_sse_line_endings (void)
{
  const char *expected = "one|two|three";

  assert_all_splits ("data: one\n\ndata: two\n\ndata: three\n\n", expected);
  assert_all_splits ("data: one\r\n\r\ndata: two\r\n\r\ndata: three\r\n\r\n", expected);
  assert_all_splits ("data: one\r\rdata: two\r\rdata: three\r\r", expected);
  /* mixed, as a proxy might produce */
  assert_all_splits ("data: one\r\n\ndata: two\n\r\ndata: three\r\r\n", expected);
}

static void
test_sse_comments (void)
{
  guint n_comments = 0;
  const char *text = ": OPENROUTER PROCESSING\n\n"
                     "data: a\n\n"
                     ": OPENROUTER PROCESSING\r\n\r\n"
                     ":\n"
                     "data: b\n"
                     ": a comment inside an event\n"
                     "\n";
  g_autofree char *got = parse_cut (text, NULL, 0, &n_comments);

  g_assert_cmpstr (got, ==, "a|b");
  g_assert_cmpuint (n_comments, ==, 4);
  assert_all_splits (text, "a|b");
}

static void
test_sse_multiline (void)
{
  assert_all_splits ("data: first\ndata: second\ndata\ndata:third\n\n",
                     "first\nsecond\n\nthird");
}

static void
test_sse_fields (void)
{
  g_autofree char *got = NULL;
  g_autofree char *bom = NULL;

  /* no data: no event; unknown fields and retry ignored; event type kept for one event */
  got = parse_whole ("event: ping\n\nretry: 10\nfoo: bar\ndata: x\n\nevent: error\ndata: y\n\n"
                     "data: z\n\n");
  g_assert_cmpstr (got, ==, "x|error=y|z");

  /* only one space after the colon is removed */
  g_clear_pointer (&got, g_free);
  got = parse_whole ("data:  two spaces\n\n");
  g_assert_cmpstr (got, ==, " two spaces");

  /* a byte-order mark, itself cut */
  assert_all_splits ("\xEF\xBB\xBF" "data: after bom\n\n", "after bom");
  bom = parse_whole ("\xEF\xBB\xBF" "data: x\n\n");
  g_assert_cmpstr (bom, ==, "x");
}

static void
test_sse_utf8 (void)
{
  /* é is C3 A9, — is E2 80 94, 🙂 is F0 9F 99 82: cuts fall inside each */
  assert_all_splits ("data: café — 🙂\n\ndata: naïve\r\n\r\n", "café — 🙂|naïve");
}

static void
test_sse_pending (void)
{
  g_autoptr(LoomSseParser) parser = loom_sse_parser_new ();
  g_autoptr(LoomSseEvent) event = NULL;

  g_assert_false (loom_sse_parser_has_pending (parser));
  loom_sse_parser_feed (parser, "data: done\n\n", 12);
  g_assert_false (loom_sse_parser_has_pending (parser));
  event = loom_sse_parser_pop (parser);
  g_assert_nonnull (event);
  g_assert_null (loom_sse_parser_pop (parser));

  loom_sse_parser_feed (parser, "data: half", 10);
  g_assert_true (loom_sse_parser_has_pending (parser));
  g_assert_null (loom_sse_parser_pop (parser));

  loom_sse_parser_feed (parser, "\n", 1);
  g_assert_true (loom_sse_parser_has_pending (parser)); /* no blank line yet */
  loom_sse_parser_feed (parser, "\n", 1);
  g_assert_false (loom_sse_parser_has_pending (parser));
}

static void
test_sse_overflow (void)
{
  g_autoptr(LoomSseParser) parser = loom_sse_parser_new ();
  g_autofree char *block = g_malloc (1024 * 1024);
  g_autoptr(LoomAiStream) stream = loom_ai_stream_new ("OpenRouter", "m", NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  /* a line that never ends stops growing at the limit */
  memset (block, 'x', 1024 * 1024);
  loom_sse_parser_feed (parser, "data: ", 6);
  for (guint i = 0; i < 9; i++)
    loom_sse_parser_feed (parser, block, 1024 * 1024);
  g_assert_true (loom_sse_parser_get_overflow (parser));

  /* many data lines in one event too */
  g_clear_pointer (&parser, loom_sse_parser_free);
  parser = loom_sse_parser_new ();
  block[1024 * 1024 - 1] = '\n';
  loom_sse_parser_feed (parser, "data: ", 6);
  for (guint i = 0; i < 9 && !loom_sse_parser_get_overflow (parser); i++)
    {
      loom_sse_parser_feed (parser, block, 1024 * 1024);
      loom_sse_parser_feed (parser, "data: ", 6);
    }
  g_assert_true (loom_sse_parser_get_overflow (parser));

  /* the chat reader makes it an error */
  block[1024 * 1024 - 1] = 'x';
  ok = loom_ai_stream_feed (stream, "data: ", 6, &error);
  for (guint i = 0; i < 9 && ok; i++)
    ok = loom_ai_stream_feed (stream, block, 1024 * 1024, &error);
  g_assert_false (ok);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE);
}

/* The chat-chunk reader */

#define CHUNK(content) \
  "data: {\"id\":\"gen-1\",\"model\":\"m/actual\",\"object\":\"chat.completion.chunk\"," \
  "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"" content "\"}," \
  "\"finish_reason\":null}]}\n\n"

static const char full_stream[] =
  ": OPENROUTER PROCESSING\n\n"
  "data: {\"id\":\"gen-1\",\"model\":\"m/actual\",\"choices\":[{\"index\":0,"
  "\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"reasoning\":\"Think about \"},"
  "\"finish_reason\":null}]}\n\n"
  "data: {\"id\":\"gen-1\",\"model\":\"m/actual\",\"choices\":[{\"index\":0,"
  "\"delta\":{\"role\":\"assistant\",\"content\":null,\"reasoning\":\"the café.\"},"
  "\"finish_reason\":null}]}\n\n"
  CHUNK ("The café")
  ": OPENROUTER PROCESSING\n\n"
  CHUNK (" was — quiet")
  CHUNK (" \\u00e9t\\u00e9 🙂\\n")
  "data: {\"id\":\"gen-1\",\"model\":\"m/actual\",\"choices\":[{\"index\":0,"
  "\"delta\":{\"content\":\"\"},\"finish_reason\":\"stop\"}]}\n\n"
  "data: {\"id\":\"gen-1\",\"model\":\"m/actual\",\"choices\":[],"
  "\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":7,\"total_tokens\":127,"
  "\"cost\":0.000465}}\n\n"
  "data: [DONE]\n\n";

static const char full_text[] = "The café was — quiet été 🙂\n";

static void
collect_delta (const char *delta,
               gpointer    user_data)
{
  GPtrArray *deltas = user_data;

  g_assert_true (g_utf8_validate (delta, -1, NULL));
  g_ptr_array_add (deltas, g_strdup (delta));
}

static LoomAiResult *
read_stream (const char  *text,
             gsize        length,
             gsize        piece,
             GPtrArray   *deltas,
             GError     **error)
{
  g_autoptr(LoomAiStream) stream = loom_ai_stream_new ("OpenRouter", "m/asked", "sk-secret",
                                                       deltas ? collect_delta : NULL, deltas);

  for (gsize at = 0; at < length; at += piece)
    if (!loom_ai_stream_feed (stream, text + at, MIN (piece, length - at), error))
      return NULL;

  if (!loom_ai_stream_finish (stream, error))
    return NULL;

  return loom_ai_stream_steal_result (stream);
}

static void
test_stream_full (void)
{
  gsize length = strlen (full_stream);

  /* whole, then in pieces of every size from 1 byte: the same result */
  for (gsize piece = length; piece >= 1; piece = piece > 64 ? piece / 2 : piece - 1)
    {
      g_autoptr(GPtrArray) deltas = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GError) error = NULL;
      g_autoptr(LoomAiResult) result = read_stream (full_stream, length, piece, deltas, &error);

      g_assert_no_error (error);
      g_assert_nonnull (result);
      g_assert_cmpstr (result->text, ==, full_text);
      g_assert_cmpstr (result->reasoning, ==, "Think about the café.");
      g_assert_null (strstr (result->text, "Think"));
      g_assert_cmpstr (result->finish_reason, ==, "stop");
      g_assert_cmpstr (result->model, ==, "m/actual");
      g_assert_cmpstr (result->id, ==, "gen-1");
      g_assert_cmpint (result->prompt_tokens, ==, 120);
      g_assert_cmpint (result->completion_tokens, ==, 7);
      g_assert_cmpfloat_with_epsilon (result->cost, 0.000465, 1e-12);

      g_assert_cmpuint (deltas->len, ==, 3);
      g_assert_cmpstr (g_ptr_array_index (deltas, 0), ==, "The café");
      g_assert_cmpstr (g_ptr_array_index (deltas, 1), ==, " was — quiet");
      g_assert_cmpstr (g_ptr_array_index (deltas, 2), ==, " été 🙂\n");
    }
}

static void
test_stream_crlf (void)
{
  g_autoptr(GString) crlf = g_string_new (full_stream);
  g_autoptr(GPtrArray) deltas = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomAiResult) result = NULL;

  g_string_replace (crlf, "\n\n", "\r\n\r\n", 0);
  result = read_stream (crlf->str, crlf->len, 5, deltas, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->text, ==, full_text);
  g_assert_cmpint (result->completion_tokens, ==, 7);
}

static void
test_stream_mid_error (void)
{
  const char text[] =
    CHUNK ("Once upon")
    "data: {\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"provider\":\"X\","
    "\"error\":{\"code\":\"server_error\",\"message\":\"Provider disconnected unexpectedly\"},"
    "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"error\"}]}\n\n"
    CHUNK (" never seen");
  g_autoptr(GPtrArray) deltas = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomAiResult) result = read_stream (text, strlen (text), 7, deltas, &error);

  g_assert_null (result);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "Provider disconnected unexpectedly"));
  g_assert_nonnull (strstr (error->message, "OpenRouter"));
  g_assert_cmpuint (deltas->len, ==, 1);
}

static void
test_stream_mid_error_numeric (void)
{
  /* an error chunk carrying an HTTP-like code maps like that status */
  const char text[] =
    CHUNK ("Once")
    "data: {\"error\":{\"code\":429,\"message\":\"Rate limited upstream\"}}\n\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomAiResult) result = read_stream (text, strlen (text), 1000, NULL, &error);

  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_RATE_LIMITED);
  g_assert_nonnull (strstr (error->message, "Rate limited upstream"));
}

static void
test_stream_truncated (void)
{
  const char cut[] = CHUNK ("Once upon") CHUNK (" a time");
  const char cut_mid_event[] = CHUNK ("Once upon") "data: {\"id\":\"gen-1\",\"cho";
  const char finished_no_done[] =
    CHUNK ("Once upon")
    "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}\n\n";
  const char done_only[] = CHUNK ("Once upon") "data: [DONE]\n\n";

  {
    g_autoptr(GPtrArray) deltas = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GError) error = NULL;
    g_autoptr(LoomAiResult) result = read_stream (cut, strlen (cut), 3, deltas, &error);

    g_assert_null (result);
    g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_TRUNCATED);
    g_assert_cmpuint (deltas->len, ==, 2);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LoomAiResult) result = read_stream (cut_mid_event, strlen (cut_mid_event), 3,
                                                  NULL, &error);

    g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_TRUNCATED);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LoomAiResult) result = read_stream ("", 0, 1, NULL, &error);

    g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_TRUNCATED);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LoomAiResult) result = read_stream (finished_no_done, strlen (finished_no_done),
                                                  4, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (result->finish_reason, ==, "length");
    g_assert_cmpstr (result->text, ==, "Once upon");
    g_assert_cmpint (result->prompt_tokens, ==, -1);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LoomAiResult) result = read_stream (done_only, strlen (done_only), 4, NULL, &error);

    g_assert_no_error (error);
    g_assert_null (result->finish_reason);
    g_assert_cmpstr (result->text, ==, "Once upon");
  }
}

static void
test_stream_bad (void)
{
  const char not_json[] = CHUNK ("ok") "data: {not json\n\n";
  const char not_object[] = "data: [1, 2]\n\n";
  const char not_utf8[] = "data: {\"choices\":[{\"delta\":{\"content\":\"\xff\"}}]}\n\n";

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LoomAiResult) result = read_stream (not_json, strlen (not_json), 100, NULL,
                                                  &error);

    g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LoomAiResult) result = read_stream (not_object, strlen (not_object), 100, NULL,
                                                  &error);

    g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LoomAiResult) result = read_stream (not_utf8, strlen (not_utf8), 100, NULL,
                                                  &error);

    g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE);
  }
}

static void
test_stream_after_done (void)
{
  const char text[] = CHUNK ("a") "data: [DONE]\n\n" CHUNK ("b") "data: {garbage\n\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomAiResult) result = read_stream (text, strlen (text), 9, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (result->text, ==, "a");
}

/* A choice that stops with finish_reason "error" and no error object, and a reasoning named
 * "reasoning_content": read alike whether the answer streams or comes whole (one helper each
 * in loom-ai-stream.c). */
static void
test_finish_error (void)
{
  const char stream_text[] =
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"Plan.\"}}]}\n\n"
    CHUNK ("Once upon")
    "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"error\"}]}\n\n";
  const char stream_thought[] =
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"Plan.\"}}]}\n\n"
    CHUNK ("Once")
    "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
    "data: [DONE]\n\n";
  const char failed[] =
    "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Once\"},"
    "\"finish_reason\":\"error\"}]}";
  const char thought[] =
    "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Once\","
    "\"reasoning_content\":\"Plan.\"},\"finish_reason\":\"stop\"}]}";
  const char expected[] = "OpenRouter had a problem while writing: it stopped with an error. "
                          "Try again later.";
  g_autoptr(GPtrArray) deltas = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomAiResult) result = NULL;

  result = read_stream (stream_text, strlen (stream_text), 5, deltas, &error);
  g_assert_null (result);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_SERVER);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpuint (deltas->len, ==, 1);
  g_clear_error (&error);

  result = read_stream (stream_thought, strlen (stream_thought), 3, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->text, ==, "Once");
  g_assert_cmpstr (result->reasoning, ==, "Plan.");
  g_clear_pointer (&result, loom_ai_result_free);

  result = loom_ai_parse_completion (failed, strlen (failed), "OpenRouter", "m", NULL, &error);
  g_assert_null (result);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_SERVER);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  result = loom_ai_parse_completion (thought, strlen (thought), "OpenRouter", "m", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->text, ==, "Once");
  g_assert_cmpstr (result->reasoning, ==, "Plan.");
}

static void
test_completion (void)
{
  const char ok[] =
    "{\"id\":\"gen-2\",\"model\":\"m/actual\",\"object\":\"chat.completion\",\"choices\":[{"
    "\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Whole text.\","
    "\"reasoning\":\"hmm\"},\"finish_reason\":\"stop\"}],"
    "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":3,\"cost\":0.5}}";
  const char error_200[] =
    "{\"error\":{\"code\":402,\"message\":\"Insufficient credits\"}}";
  const char moderation[] =
    "{\"error\":{\"code\":403,\"message\":\"Input was flagged\","
    "\"metadata\":{\"reasons\":[\"violence\",\"harassment\"],\"flagged_input\":\"…\"}}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomAiResult) result = NULL;

  result = loom_ai_parse_completion (ok, strlen (ok), "OpenRouter", "m/asked", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->text, ==, "Whole text.");
  g_assert_cmpstr (result->reasoning, ==, "hmm");
  g_assert_cmpstr (result->finish_reason, ==, "stop");
  g_assert_cmpstr (result->model, ==, "m/actual");
  g_assert_cmpint (result->prompt_tokens, ==, 10);
  g_assert_cmpint (result->completion_tokens, ==, 3);
  g_assert_cmpfloat (result->cost, ==, 0.5);
  g_clear_pointer (&result, loom_ai_result_free);

  result = loom_ai_parse_completion (error_200, strlen (error_200), "OpenRouter", "m", NULL,
                                     &error);
  g_assert_null (result);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_PAYMENT_REQUIRED);
  g_assert_nonnull (strstr (error->message, "Insufficient credits"));
  g_clear_error (&error);

  result = loom_ai_parse_completion (moderation, strlen (moderation), "OpenRouter", "m", NULL,
                                     &error);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "Input was flagged"));
  g_assert_nonnull (strstr (error->message, "violence, harassment"));
  g_clear_error (&error);

  result = loom_ai_parse_completion ("<html>", 6, "OpenRouter", "m", NULL, &error);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sse/basic", test_sse_basic);
  g_test_add_func ("/sse/line-endings", test_sse_line_endings);
  g_test_add_func ("/sse/comments", test_sse_comments);
  g_test_add_func ("/sse/multiline", test_sse_multiline);
  g_test_add_func ("/sse/fields", test_sse_fields);
  g_test_add_func ("/sse/utf8", test_sse_utf8);
  g_test_add_func ("/sse/pending", test_sse_pending);
  g_test_add_func ("/sse/overflow", test_sse_overflow);
  g_test_add_func ("/stream/full", test_stream_full);
  g_test_add_func ("/stream/crlf", test_stream_crlf);
  g_test_add_func ("/stream/mid-error", test_stream_mid_error);
  g_test_add_func ("/stream/mid-error-numeric", test_stream_mid_error_numeric);
  g_test_add_func ("/stream/truncated", test_stream_truncated);
  g_test_add_func ("/stream/bad", test_stream_bad);
  g_test_add_func ("/stream/after-done", test_stream_after_done);
  g_test_add_func ("/completion", test_completion);
  g_test_add_func ("/completion/finish-error", test_finish_error);

  return g_test_run ();
}
