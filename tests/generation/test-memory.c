/* test-memory.c: the story bible and the summaries in a scene's prompt, within its budget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-memory"

#include "config.h"

#include <string.h>

#include "loom-chapter.h"
#include "loom-context-budget.h"
#include "loom-entry.h"
#include "loom-prompt.h"
#include "loom-revise.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-store-summaries.h"
#include "loom-story.h"
#include "loom-words.h"
#include "test-util.h"

/* The 1M-word story: 50 chapters of 20 scenes of 1,000 words, a summary for every scene and
 * 200 bible entries. */
#define N_CHAPTERS 50
#define N_SCENES   20
#define N_WORDS    1000
#define N_ENTRIES  200

typedef struct
{
  char      *dir;
  char      *path;
  LoomStore *store;
  LoomStory *story;
} Fixture;

static const char *const vocabulary[] = {
  "the", "river", "ran", "past", "old", "stone", "houses", "and", "a", "bell", "rang",
  "twice", "over", "salt", "flats", "where", "nobody", "walked", "at", "night",
};

static char *
filler (guint n_words)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n_words; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? " " : "",
                            vocabulary[(i * 7 + i / 3) % G_N_ELEMENTS (vocabulary)]);
  g_string_append_c (text, '.');
  return g_string_free (text, FALSE);
}

/* The whole story in one transaction, as another program could write it. */
static void
build_story (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *prose = filler (N_WORDS);
  g_autofree char *fingerprint = loom_summary_fingerprint_prose (prose);
  g_autofree char *sql = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  LoomEntrySpec specs[N_ENTRIES];
  gint64 story_id = loom_story_get_id (f->story);

  g_assert_cmpuint (loom_count_words (prose, -1), ==, N_WORDS);
  loom_store_close (f->store);
  g_clear_object (&f->story);
  g_clear_object (&f->store);

  sql = g_strdup_printf (
    "BEGIN;"
    "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < %d)"
    " INSERT INTO chapters (story_id, chapter_number, title)"
    " SELECT %" G_GINT64_FORMAT ", n, 'Stretch ' || n FROM c;"
    "WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < %d)"
    " INSERT INTO scenes (story_id, chapter_id, scene_number, outline, prose, status,"
    "  updated_at, word_count)"
    " SELECT %" G_GINT64_FORMAT ", (SELECT id FROM chapters WHERE story_id = %" G_GINT64_FORMAT
    "  AND chapter_number = n / %d + 1), n %% %d + 1, 'Mara walks on.', '%s', 'complete',"
    "  1000, %d FROM s;"
    "INSERT INTO scene_summaries (scene_id, summary, origin, prose_fingerprint, updated_at)"
    " SELECT s.id, 'Summary ' || c.chapter_number || '.' || s.scene_number || ': Mara crosses"
    " stretch ' || s.scene_number || ' of the salt. Then she counts the bells again.',"
    " 'writer', '%s', 2000 FROM scenes s JOIN chapters c ON c.id = s.chapter_id;"
    "COMMIT;",
    N_CHAPTERS, story_id, N_CHAPTERS * N_SCENES - 1, story_id, story_id, N_SCENES, N_SCENES,
    prose, N_WORDS, fingerprint);
  test_sql_exec (f->path, sql);

  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  f->story = g_object_ref (loom_store_lookup_story (f->store, story_id));
  for (guint i = 0; i < N_ENTRIES; i++)
    {
      char *name = g_strdup_printf ("Landmark%u", i + 1);

      g_ptr_array_add (names, name);
      specs[i] = (LoomEntrySpec) {
        LOOM_ENTRY_PLACE, name, NULL,
        "A marker on the salt road, white stone, taller than a man, with a bell on top.",
        /* a quarter always, the rest when mentioned */
        i % 4 == 0 ? LOOM_INCLUSION_ALWAYS : LOOM_INCLUSION_MENTIONED,
      };
    }
  g_assert_true (loom_store_add_entries (f->store, f->story, specs, N_ENTRIES, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->store = test_library_open ("storyloom-memory-XXXXXX", &f->dir, &f->path);
  f->story = g_object_ref (loom_store_create_story (f->store, "The Salt Road", "A long walk.",
                                                    NULL, &error));
  g_assert_no_error (error);
  if (data != NULL)
    build_story (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->story);
  test_library_close (&f->store, &f->dir, &f->path);
}

static LoomScene *
scene_at (LoomStory *story,
          guint      chapter,
          guint      scene)
{
  g_autoptr(LoomChapter) c = g_list_model_get_item (loom_story_get_chapters (story), chapter - 1);

  return g_list_model_get_item (loom_chapter_get_scenes (c), scene - 1);
}

static LoomPrompt *
build_prompt (LoomScene *scene,
              guint      budget)
{
  g_autoptr(GError) error = NULL;
  LoomPromptOptions options = LOOM_PROMPT_OPTIONS_INIT;
  LoomPrompt *prompt;

  options.context_budget = budget;
  prompt = loom_prompt_new_for_scene (scene, &options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (prompt);
  return prompt;
}

static const char *
user_text (LoomPrompt *prompt)
{
  JsonArray *messages = loom_prompt_get_messages (prompt);

  return json_object_get_string_member (json_array_get_object_element (messages, 1), "content");
}

/* Where the summary of @chapter.@scene is in the prompt, or -1. */
static gssize
position_of (const char *text,
             guint       chapter,
             guint       scene)
{
  g_autofree char *needle = g_strdup_printf ("Summary %u.%u:", chapter, scene);
  const char *at = strstr (text, needle);

  return at != NULL ? at - text : -1;
}

/* Chapter @chapter's summary made from its scenes' starts with the first scene's. */
static gboolean
has_chapter_summary (const char *text,
                     guint       chapter)
{
  g_autofree char *needle = g_strdup_printf ("%u,null,\"Summary %u.1:", chapter, chapter);

  return strstr (text, needle) != NULL;
}

static char *
describe_parts (LoomPrompt *prompt)
{
  GPtrArray *parts = loom_prompt_get_parts (prompt);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < parts->len; i++)
    {
      g_autofree char *line = loom_prompt_part_describe (g_ptr_array_index (parts, i));

      g_string_append_printf (text, "%s\n", line);
    }
  return g_string_free (text, FALSE);
}

static void
assert_within (LoomPrompt *prompt,
               guint       budget)
{
  guint tokens = loom_prompt_estimate_tokens (loom_prompt_get_messages (prompt));

  g_assert_cmpuint (loom_prompt_get_token_estimate (prompt), ==, tokens);
  g_assert_cmpuint (tokens, <=, budget);
  g_assert_cmpuint (loom_prompt_get_budget (prompt), ==, budget);
}

/* The budget keeps the nearest context: how the previous scene ends, the current chapter's
 * summaries, then the nearest chapters, in story order; the far ones are listed as left out. */
static void
test_budget_order (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(LoomScene) scene = scene_at (f->story, N_CHAPTERS, 11);
  g_autoptr(LoomPrompt) prompt = build_prompt (scene, 8000);
  g_autofree char *parts = describe_parts (prompt);
  const char *user = user_text (prompt);
  gssize last = -1;
  guint first_kept = 0;

  assert_within (prompt, 8000);
  g_test_message ("%s", parts);

  /* the end of the previous scene, whole */
  g_assert_nonnull (strstr (user, "The previous scene ends:"));
  g_assert_nonnull (strstr (parts, "End of the previous scene — included: its last 400 words"));

  /* every earlier scene of this chapter, in order, and nothing after the scene */
  for (guint s = 1; s <= 10; s++)
    {
      gssize at = position_of (user, N_CHAPTERS, s);

      g_assert_cmpint (at, >, last);
      last = at;
    }
  g_assert_cmpint (position_of (user, N_CHAPTERS, 11), ==, -1);
  g_assert_cmpint (position_of (user, N_CHAPTERS, 12), ==, -1);

  /* the earlier chapters kept are the nearest ones, each whole or as a chapter summary, in
   * story order before this chapter's */
  for (guint c = N_CHAPTERS - 1; c >= 1; c--)
    {
      gboolean whole = position_of (user, c, 1) >= 0 && position_of (user, c, N_SCENES) >= 0;
      gboolean shortened = has_chapter_summary (user, c);

      if (!whole && !shortened)
        break;
      first_kept = c;
    }
  g_assert_cmpuint (first_kept, >, 0);
  g_assert_cmpuint (first_kept, <, N_CHAPTERS - 1);
  for (guint c = 1; c < first_kept; c++)
    {
      g_assert_cmpint (position_of (user, c, 1), ==, -1);
      g_assert_false (has_chapter_summary (user, c));
    }
  /* the chapters left out, in one line */
  {
    g_autofree char *left_out = g_strdup_printf ("Chapters 1–%u: scene summaries — left out: "
                                                 "over the 8000-token budget", first_kept - 1);

    g_assert_nonnull (strstr (parts, left_out));
  }
  g_assert_cmpint (position_of (user, N_CHAPTERS - 1, N_SCENES), <,
                   position_of (user, N_CHAPTERS, 1));

  /* the bible: what the outline and the previous scene name (nothing here), then the
   * always-entries while they fit; the rest are listed as left out */
  g_assert_nonnull (strstr (parts, "Story bible — included: "));
  g_assert_nonnull (strstr (parts, "left out: over the 8000-token budget"));
}

/* A bigger budget keeps more: every summary of every earlier scene, and every bible entry
 * that must go in. */
static void
test_budget_large (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(LoomScene) scene = scene_at (f->story, N_CHAPTERS, 11);
  g_autoptr(LoomPrompt) prompt = build_prompt (scene, LOOM_CONTEXT_BUDGET_MAX);
  g_autofree char *parts = describe_parts (prompt);
  const char *user = user_text (prompt);
  gssize last = -1;

  assert_within (prompt, LOOM_CONTEXT_BUDGET_MAX);
  g_assert_null (strstr (parts, "left out"));
  g_assert_null (strstr (parts, "shortened"));
  for (guint c = 1; c <= N_CHAPTERS; c++)
    for (guint s = 1; s <= (c == N_CHAPTERS ? 10 : N_SCENES); s++)
      {
        gssize at = position_of (user, c, s);

        g_assert_cmpint (at, >, last);
        last = at;
      }
  /* the always-entries: one in four */
  g_assert_cmpuint (loom_prompt_get_entries (prompt)->len, ==, N_ENTRIES / 4);
  /* every summary used is an input, for the outdated marks */
  {
    GArray *inputs = loom_prompt_get_inputs (prompt);
    guint summaries = 0;

    for (guint i = 0; i < inputs->len; i++)
      summaries += g_array_index (inputs, LoomSceneInput, i).kind == LOOM_SCENE_INPUT_SUMMARY;
    g_assert_cmpuint (summaries, ==, (N_CHAPTERS - 1) * N_SCENES + 10);
  }
}

/* A budget too small for the rest of the prompt leaves the memory out and quotes less of the
 * previous scene, and says so; the prompt still stays within it when it can. */
static void
test_budget_small (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(LoomScene) scene = scene_at (f->story, N_CHAPTERS, 11);
  guint budgets[] = { 4000, 2000, 700, 300 };

  for (guint i = 0; i < G_N_ELEMENTS (budgets); i++)
    {
      g_autoptr(LoomPrompt) prompt = build_prompt (scene, budgets[i]);
      g_autofree char *parts = describe_parts (prompt);

      g_test_message ("budget %u:\n%s", budgets[i], parts);
      if (strstr (parts, "always included, though alone they are over") == NULL)
        assert_within (prompt, budgets[i]);
      else
        g_assert_null (strstr (user_text (prompt), "The previous scene ends:"));
      /* the nearest summary goes before any other */
      if (position_of (user_text (prompt), N_CHAPTERS, 9) >= 0)
        g_assert_cmpint (position_of (user_text (prompt), N_CHAPTERS, 10), >=, 0);
    }
  {
    g_autoptr(LoomPrompt) prompt = build_prompt (scene, 700);
    g_autofree char *parts = describe_parts (prompt);

    assert_within (prompt, 700);
    g_assert_nonnull (strstr (parts, "End of the previous scene — shortened: its last "));
    g_assert_nonnull (strstr (user_text (prompt), "The previous scene ends:"));
  }
  {
    g_autoptr(LoomPrompt) prompt = build_prompt (scene, 300);
    g_autofree char *parts = describe_parts (prompt);

    g_assert_cmpuint (loom_prompt_get_token_estimate (prompt), >, 300);
    g_assert_nonnull (strstr (parts, "End of the previous scene — left out: over the 300-token "
                                     "budget"));
    g_assert_nonnull (strstr (parts, "always included, though alone they are over the "
                                     "300-token budget"));
    g_assert_null (strstr (user_text (prompt), "Summary "));
  }
}

/* A selection action remembers the story the same way, within its own budget. */
static void
test_revise_memory (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(LoomScene) scene = scene_at (f->story, N_CHAPTERS, 11);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) messages = NULL;
  LoomReviseRequest request = LOOM_REVISE_REQUEST_INIT;
  const char *user;
  guint estimate = 0;

  g_assert_true (loom_scene_load_prose (scene, &error));
  request.action = LOOM_REVISE_REWRITE;
  request.from = 0;
  request.to = 40;
  request.context_budget = 6000;
  request.context_tokens = 200000;
  messages = loom_revise_build_messages (scene, &request, &estimate, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loom_prompt_estimate_tokens (messages), <=, 6000);
  user = json_object_get_string_member (json_array_get_object_element (messages, 1), "content");
  g_assert_cmpint (position_of (user, N_CHAPTERS, 10), >=, 0);
  g_assert_cmpint (position_of (user, N_CHAPTERS, 11), ==, -1);
  g_assert_cmpint (position_of (user, 1, 1), ==, -1);
  g_assert_nonnull (strstr (user, "The passage:"));
}

/* What a generator does: the prompt's inputs go with the prose. */
static void
generate_from (LoomStore  *store,
               LoomScene  *scene,
               LoomPrompt *prompt)
{
  g_autoptr(GError) error = NULL;
  LoomGenerationEnd end = { .outcome = LOOM_GENERATION_COMPLETE, .prose = "Generated.",
                            .prompt_tokens = -1, .completion_tokens = -1, .cost = -1,
                            .model = "m/one", .inputs = loom_prompt_get_inputs (prompt) };
  gint64 id = loom_store_begin_generation (store, scene, "m/one", NULL, &error);

  g_assert_no_error (error);
  g_assert_true (loom_store_end_generation (store, scene, id, &end, &error));
  g_assert_no_error (error);
  loom_store_update_outdated (store);
  g_assert_cmpuint (loom_scene_get_stale_inputs (scene), ==, 0);
}

static LoomScene *
add_scene (LoomStore   *store,
           LoomChapter *chapter,
           const char  *prose,
           const char  *summary)
{
  g_autoptr(GError) error = NULL;
  LoomScene *scene = loom_store_add_scene (store, chapter, LOOM_POSITION_END, "Mara walks.",
                                           &error);

  g_assert_no_error (error);
  if (prose != NULL)
    g_assert_true (loom_scene_set_prose (scene, prose, &error));
  if (summary != NULL)
    g_assert_true (loom_store_set_summary (store, scene, summary, NULL, LOOM_SUMMARY_WRITER,
                                           NULL, NULL, &error));
  g_assert_no_error (error);
  return g_object_ref (scene);
}

/* An outdated summary still goes in, marked; a scene generated from summaries is outdated
 * when one of them changes, and only then. */
static void
test_outdated (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomChapter *one = loom_store_add_chapter (f->store, f->story, LOOM_POSITION_END, "One",
                                             &error);
  LoomChapter *two = loom_store_add_chapter (f->store, f->story, LOOM_POSITION_END, "Two",
                                             &error);
  g_autoptr(LoomScene) a = add_scene (f->store, one, "Mara left.", "Summary 1.1: she left.");
  g_autoptr(LoomScene) b = add_scene (f->store, one, "Mara rode.", "Summary 1.2: she rode.");
  g_autoptr(LoomScene) c = add_scene (f->store, two, "Mara slept.", NULL);
  g_autoptr(LoomScene) later = add_scene (f->store, two, "Mara woke.", "Summary 2.2: she woke.");
  g_autoptr(LoomPrompt) fresh = NULL;
  g_autoptr(LoomPrompt) marked = NULL;
  const char *user;

  g_assert_no_error (error);
  fresh = build_prompt (c, 0);
  user = user_text (fresh);
  g_assert_nonnull (strstr (user, "story_so_far[2]{chapter,scene,summary}:"));
  g_assert_null (strstr (user, "outdated"));
  g_assert_cmpint (position_of (user, 1, 1), <, position_of (user, 1, 2));
  g_assert_cmpint (position_of (user, 2, 2), ==, -1);
  generate_from (f->store, c, fresh);

  /* the prose changed after its summary: still used, marked */
  g_assert_true (loom_scene_set_prose (a, "Mara left at dawn, and did not look back.", &error));
  g_assert_no_error (error);
  marked = build_prompt (c, 0);
  user = user_text (marked);
  g_assert_nonnull (strstr (user, "story_so_far[2]{chapter,scene,summary,outdated}:"));
  g_assert_nonnull (strstr (user, "\"Summary 1.1: she left.\",true"));
  g_assert_nonnull (strstr (user, "\"Summary 1.2: she rode.\",false"));
  g_assert_nonnull (strstr (user, "A summary marked outdated"));
  {
    g_autofree char *parts = describe_parts (marked);

    g_assert_nonnull (strstr (parts, "Chapter 1, “One”: scene summaries — included: 2 scenes, "
                                     "1 outdated"));
  }

  /* a summary the prompt did not use changes nothing */
  g_assert_true (loom_store_set_summary (f->store, later, "Summary 2.2: she woke late.", NULL,
                                         LOOM_SUMMARY_WRITER, NULL, NULL, &error));
  loom_store_update_outdated (f->store);
  g_assert_cmpuint (loom_scene_get_stale_inputs (c), ==, 0);

  /* one it used marks the scene, as a summary input */
  g_assert_true (loom_store_set_summary (f->store, b, "Summary 1.2: she rode north.", NULL,
                                         LOOM_SUMMARY_WRITER, NULL, NULL, &error));
  g_assert_no_error (error);
  loom_store_update_outdated (f->store);
  g_assert_cmpuint (loom_scene_get_stale_inputs (c), ==, LOOM_SCENE_INPUT_SUMMARY);
  g_assert_true (loom_scene_get_outdated (c));
}

/* The library's budget: automatic from the model's context, or the writer's, never more than
 * the model reads. */
static void
test_context_budget (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gboolean automatic = FALSE;
  guint chosen = 1;

  g_assert_cmpuint (loom_context_budget_automatic (0), ==, LOOM_PROMPT_DEFAULT_BUDGET);
  g_assert_cmpuint (loom_context_budget_automatic (8192), ==, 4096);
  g_assert_cmpuint (loom_context_budget_automatic (200000), ==, LOOM_CONTEXT_BUDGET_AUTO_CAP);
  g_assert_cmpuint (loom_context_budget_automatic (1024), ==, LOOM_CONTEXT_BUDGET_MIN);

  g_assert_cmpuint (loom_context_budget_get (f->store, NULL, &automatic), ==,
                    LOOM_PROMPT_DEFAULT_BUDGET);
  g_assert_true (automatic);
  g_assert_true (loom_context_budget_set (f->store, 12000, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (loom_context_budget_get (f->store, NULL, &automatic), ==, 12000);
  g_assert_false (automatic);
  g_assert_true (loom_context_budget_get_chosen (f->store, &chosen, &error));
  g_assert_cmpuint (chosen, ==, 12000);

  /* out of range: refused, and the library keeps what it had */
  g_assert_false (loom_context_budget_set (f->store, 10, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpuint (loom_context_budget_get (f->store, NULL, NULL), ==, 12000);

  /* another program's nonsense counts as automatic */
  test_sql_exec (f->path, "UPDATE library_settings SET value = -5 WHERE name = 'context-budget'");
  g_assert_cmpuint (loom_context_budget_get (f->store, NULL, &automatic), ==,
                    LOOM_PROMPT_DEFAULT_BUDGET);
  g_assert_true (automatic);

  g_assert_true (loom_context_budget_set (f->store, 0, &error));
  g_assert_true (loom_context_budget_get_chosen (f->store, &chosen, &error));
  g_assert_cmpuint (chosen, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/memory/budget-order", Fixture, "long", fixture_set_up, test_budget_order,
              fixture_tear_down);
  g_test_add ("/memory/budget-large", Fixture, "long", fixture_set_up, test_budget_large,
              fixture_tear_down);
  g_test_add ("/memory/budget-small", Fixture, "long", fixture_set_up, test_budget_small,
              fixture_tear_down);
  g_test_add ("/memory/revise", Fixture, "long", fixture_set_up, test_revise_memory,
              fixture_tear_down);
  g_test_add ("/memory/outdated", Fixture, NULL, fixture_set_up, test_outdated,
              fixture_tear_down);
  g_test_add ("/memory/context-budget", Fixture, NULL, fixture_set_up, test_context_budget,
              fixture_tear_down);

  return g_test_run ();
}
