/* test-prompt.c: the messages built for a scene
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-prompt"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "loom-chapter.h"
#include "loom-character.h"
#include "loom-prompt.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"
#include "loom-toon.h"
#include "test-util.h"

typedef struct
{
  char          *dir;
  char          *path;
  LoomStore     *store;
  LoomStory     *story;
  LoomChapter   *one;
  LoomChapter   *two;
  LoomScene     *s1;  /* chapter one */
  LoomScene     *s2;
  LoomScene     *s3;
  LoomScene     *s4;
  LoomScene     *t1;  /* chapter two */
  LoomCharacter *mara;
  LoomCharacter *tomas;
  LoomCharacter *jun;
  LoomCharacter *elise;
  LoomCharacter *rosa;
} Fixture;

static char *
numbered_words (guint n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 1; i <= n; i++)
    g_string_append_printf (s, "%sw%u", i > 1 ? (i % 17 == 0 ? "\n" : " ") : "", i);

  return g_string_free (s, FALSE);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *long_backstory = NULL;
  GString *big = g_string_new (NULL);

  f->store = test_library_open ("storyloom-prompt-XXXXXX", &f->dir, &f->path);

  f->story = loom_store_create_story (f->store, "The Lamplighter",
                                      "A woman returns to her harbour town to sell her late "
                                      "father's house.",
                                      "Close third person, past tense, quiet and precise.",
                                      &error);
  g_assert_no_error (error);
  g_object_ref (f->story);

  f->one = g_object_ref (loom_store_add_chapter (f->store, f->story, LOOM_POSITION_END,
                                                 "Arrival", &error));
  f->two = g_object_ref (loom_store_add_chapter (f->store, f->story, LOOM_POSITION_END,
                                                 "The House", &error));
  g_assert_no_error (error);

  f->s1 = g_object_ref (loom_store_add_scene (f->store, f->one, LOOM_POSITION_END,
                                              "Mara arrives by the night ferry.", &error));
  f->s2 = g_object_ref (loom_store_add_scene (f->store, f->one, LOOM_POSITION_END,
                                              "Mara meets the lawyer at the café.", &error));
  f->s3 = g_object_ref (loom_store_add_scene (f->store, f->one, LOOM_POSITION_END,
                                              "Rosalind's letter is found in the drawer.",
                                              &error));
  f->s4 = g_object_ref (loom_store_add_scene (f->store, f->one, LOOM_POSITION_END,
                                              "Night falls over the harbour.", &error));
  f->t1 = g_object_ref (loom_store_add_scene (f->store, f->two, LOOM_POSITION_END,
                                              "Morning at the house.", &error));
  g_assert_no_error (error);

  f->mara = g_object_ref (loom_store_add_character (f->store, f->story, "Mara Lind",
                                                    "guarded, wry, 38",
                                                    "Left the town at eighteen.", &error));
  /* a word of a name is not a name by itself: "Mara" is hers as the writer says so */
  g_assert_true (loom_character_set_aliases (f->mara, "Mara", &error));
  f->tomas = g_object_ref (loom_store_add_character (f->store, f->story, "Tomas",
                                                     "the lawyer, nervous", NULL, &error));
  for (guint i = 0; i < 200; i++)
    g_string_append (big, "He has lit the harbour lamps for fifty years. ");
  long_backstory = g_string_free (big, FALSE);
  f->jun = g_object_ref (loom_store_add_character (f->store, f->story, "Old Jun",
                                                   "the lamplighter", long_backstory, &error));
  f->elise = g_object_ref (loom_store_add_character (f->store, f->story, "Elise",
                                                     "Mara's sister, absent", NULL, &error));
  f->rosa = g_object_ref (loom_store_add_character (f->store, f->story, "Rosa",
                                                    "the neighbour", NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->mara);
  g_clear_object (&f->tomas);
  g_clear_object (&f->jun);
  g_clear_object (&f->elise);
  g_clear_object (&f->rosa);
  g_clear_object (&f->s1);
  g_clear_object (&f->s2);
  g_clear_object (&f->s3);
  g_clear_object (&f->s4);
  g_clear_object (&f->t1);
  g_clear_object (&f->one);
  g_clear_object (&f->two);
  g_clear_object (&f->story);
  if (f->store != NULL)
    loom_store_close (f->store);
  g_clear_object (&f->store);

  test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static const char *
message_content (LoomPrompt *prompt,
                 guint       i,
                 const char *role)
{
  JsonArray *messages = loom_prompt_get_messages (prompt);
  JsonObject *message;

  g_assert_cmpuint (i, <, json_array_get_length (messages));
  message = json_array_get_object_element (messages, i);
  g_assert_cmpstr (json_object_get_string_member (message, "role"), ==, role);

  return json_object_get_string_member (message, "content");
}

static gboolean
includes (LoomPrompt    *prompt,
          LoomCharacter *character)
{
  GPtrArray *characters = loom_prompt_get_characters (prompt);

  return g_ptr_array_find (characters, character, NULL);
}

/* The first ```toon block after @after in @text, decoded. */
static LoomToonValue *
toon_after (const char *text,
            const char *after)
{
  const char *start = strstr (text, after);
  const char *block;
  const char *end;
  g_autofree char *toon = NULL;
  g_autoptr(GError) error = NULL;
  LoomToonValue *value;

  g_assert_nonnull (start);
  block = strstr (start, "```toon\n");
  g_assert_nonnull (block);
  block += strlen ("```toon\n");
  end = strstr (block, "\n```");
  g_assert_nonnull (end);
  toon = g_strndup (block, end - block);

  value = loom_toon_decode (toon, -1, NULL, &error);
  g_assert_no_error (error);

  return value;
}

static void
test_messages (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomPrompt) prompt = NULL;
  g_autoptr(LoomToonValue) scenes = NULL;
  g_autoptr(LoomToonValue) characters = NULL;
  LoomToonValue *rows;
  const char *system;
  const char *user;

  g_assert_true (loom_scene_set_prose (f->s1, "The ferry came in late. Tomas was waiting.",
                                       &error));
  prompt = loom_prompt_new_for_scene (f->s2, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (loom_prompt_get_scene (prompt) == f->s2);

  g_assert_cmpuint (json_array_get_length (loom_prompt_get_messages (prompt)), ==, 2);
  system = message_content (prompt, 0, "system");
  user = message_content (prompt, 1, "user");

  g_assert_nonnull (strstr (system, "co-writer"));
  g_assert_nonnull (strstr (system, "The Lamplighter"));
  g_assert_nonnull (strstr (system, "sell her late father's house"));
  g_assert_nonnull (strstr (system, "Close third person"));
  g_assert_nonnull (strstr (system, "prose only"));
  g_assert_nonnull (strstr (system, "no headings"));
  g_assert_nonnull (strstr (system, "about 1000 words"));

  g_assert_nonnull (strstr (user, "Mara meets the lawyer at the café."));
  g_assert_nonnull (strstr (user, "The ferry came in late. Tomas was waiting."));
  g_assert_nonnull (strstr (user, "Write scene 2 of chapter 1"));

  /* the chapter's scenes, as a TOON table marking the current one */
  scenes = toon_after (user, "Chapter 1");
  rows = loom_toon_value_object_get_member (scenes, "scenes");
  g_assert_nonnull (rows);
  g_assert_cmpuint (loom_toon_value_get_length (rows), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      LoomToonValue *row = loom_toon_value_array_get (rows, i);

      g_assert_cmpint (loom_toon_value_get_int (loom_toon_value_object_get_member (row, "scene")),
                       ==, i + 1);
      g_assert_cmpint (loom_toon_value_get_boolean (
                         loom_toon_value_object_get_member (row, "current")), ==, i == 1);
    }
  g_assert_cmpstr (loom_toon_value_get_string (
                     loom_toon_value_object_get_member (loom_toon_value_array_get (rows, 2),
                                                        "outline"), NULL),
                   ==, "Rosalind's letter is found in the drawer.");

  /* the characters, as a TOON table */
  characters = toon_after (user, "Characters");
  rows = loom_toon_value_object_get_member (characters, "characters");
  g_assert_nonnull (rows);
  g_assert_cmpuint (loom_toon_value_get_length (rows), ==,
                    loom_prompt_get_characters (prompt)->len);
  g_assert_cmpstr (loom_toon_value_get_string (
                     loom_toon_value_object_get_member (loom_toon_value_array_get (rows, 0),
                                                        "name"), NULL),
                   ==, "Mara Lind");

  g_assert_cmpuint (loom_prompt_get_token_estimate (prompt), >,
                    (strlen (system) + strlen (user)) / 8);
  g_assert_cmpuint (loom_prompt_get_token_estimate (prompt), <,
                    strlen (system) + strlen (user));
}

static void
test_character_inclusion (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomPrompt) prompt = NULL;
  g_autoptr(LoomPrompt) tight = NULL;
  LoomPromptOptions options = LOOM_PROMPT_OPTIONS_INIT;

  /* "Mara" (her alias) in the outline; "Tomas" only in the previous scene's prose */
  g_assert_true (loom_scene_set_prose (f->s1, "Tomas checked his watch twice.", &error));
  prompt = loom_prompt_new_for_scene (f->s2, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (includes (prompt, f->mara));
  g_assert_true (includes (prompt, f->tomas));
  /* small entries fit the budget; the lamplighter's 9 KB backstory does not */
  g_assert_true (includes (prompt, f->elise));
  g_assert_true (includes (prompt, f->rosa));
  g_assert_false (includes (prompt, f->jun));

  /* with almost no budget only the named ones come, whatever their size */
  options.character_budget = 10;
  tight = loom_prompt_new_for_scene (f->s2, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loom_prompt_get_characters (tight)->len, ==, 2);
  g_assert_true (includes (tight, f->mara));
  g_assert_true (includes (tight, f->tomas));
  g_clear_object (&tight);

  /* whole words only: "Rosalind's" does not name Rosa */
  tight = loom_prompt_new_for_scene (f->s3, &options, &error);
  g_assert_no_error (error);
  g_assert_false (includes (tight, f->rosa));
  g_clear_object (&tight);

  /* a big character named in the outline is included even over the budget */
  g_assert_true (loom_scene_set_outline (f->s4, "Old Jun lights the lamps; Rosa watches.",
                                         &error));
  tight = loom_prompt_new_for_scene (f->s4, &options, &error);
  g_assert_no_error (error);
  g_assert_true (includes (tight, f->jun));
  g_assert_true (includes (tight, f->rosa));
  g_assert_false (includes (tight, f->elise));
}

static void
test_mentions (void)
{
  g_assert_true (loom_prompt_text_mentions ("Mara arrives.", "Mara Lind"));
  g_assert_true (loom_prompt_text_mentions ("At last, Mara Lind.", "Mara Lind"));
  g_assert_true (loom_prompt_text_mentions ("It was Mara's.", "Mara"));
  g_assert_true (loom_prompt_text_mentions ("(Zoë)", "Zoë"));
  g_assert_false (loom_prompt_text_mentions ("Amara arrives.", "Mara"));
  g_assert_false (loom_prompt_text_mentions ("Maras arrive.", "Mara"));
  g_assert_false (loom_prompt_text_mentions ("Rosalind's letter", "Rosa"));
  g_assert_false (loom_prompt_text_mentions ("a rose", "Rose"));
  g_assert_false (loom_prompt_text_mentions ("Zoëlle", "Zoë"));
  g_assert_false (loom_prompt_text_mentions ("anything", "  "));
  g_assert_false (loom_prompt_text_mentions (NULL, "Mara"));
}

static void
test_last_words (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *prose = numbered_words (1000);
  g_autofree char *short_tail = loom_prompt_last_words ("  just three words \n", 400);
  g_autofree char *tail = loom_prompt_last_words (prose, 400);
  g_autoptr(LoomPrompt) prompt = NULL;
  g_autoptr(GError) error = NULL;
  const char *user;

  g_assert_cmpstr (short_tail, ==, "just three words");
  g_assert_true (g_str_has_prefix (tail, "…w601 "));
  g_assert_true (g_str_has_suffix (tail, " w1000"));

  /* the first scene of chapter two follows the last scene of chapter one */
  g_assert_true (loom_scene_set_prose (f->s4, prose, &error));
  prompt = loom_prompt_new_for_scene (f->t1, NULL, &error);
  g_assert_no_error (error);
  user = message_content (prompt, 1, "user");
  g_assert_nonnull (strstr (user, "…w601 "));
  g_assert_nonnull (strstr (user, "w1000"));
  g_assert_null (strstr (user, "w600 "));
  g_assert_nonnull (strstr (user, "Write scene 1 of chapter 2"));
}

static void
test_first_scene (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(LoomPrompt) prompt = NULL;
  g_autoptr(GError) error = NULL;
  LoomPromptOptions options = LOOM_PROMPT_OPTIONS_INIT;

  options.target_words = 600;
  prompt = loom_prompt_new_for_scene (f->s1, &options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (message_content (prompt, 1, "user"), "first scene of the story"));
  g_assert_nonnull (strstr (message_content (prompt, 0, "system"), "about 600 words"));
}

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(LoomPrompt) prompt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = NULL;
  JsonArray *array;

  prompt = loom_prompt_new_for_scene (f->s3, NULL, &error);
  g_assert_no_error (error);
  json = loom_prompt_to_json (prompt);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1),
                                                  "content"),
                   ==, message_content (prompt, 1, "user"));
}

static gboolean
has_input (GArray          *inputs,
           LoomSceneInputs  kind,
           gint64           ref_id)
{
  for (guint i = 0; i < inputs->len; i++)
    {
      const LoomSceneInput *input = &g_array_index (inputs, LoomSceneInput, i);

      if (input->kind == kind && input->ref_id == ref_id)
        return TRUE;
    }
  return FALSE;
}

/* The inputs recorded with a prompt are exactly what it was built from, each by id. */
static void
test_inputs (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomPrompt) prompt = NULL;
  g_autoptr(LoomPrompt) again = NULL;
  GArray *inputs;
  GArray *same;

  g_assert_true (loom_scene_set_prose (f->s1, "Mara stepped off the ferry.", &error));
  prompt = loom_prompt_new_for_scene (f->s2, NULL, &error);
  g_assert_no_error (error);
  inputs = loom_prompt_get_inputs (prompt);
  g_assert_nonnull (inputs);

  g_assert_true (has_input (inputs, LOOM_SCENE_INPUT_OUTLINE, loom_scene_get_id (f->s2)));
  g_assert_true (has_input (inputs, LOOM_SCENE_INPUT_PREVIOUS, loom_scene_get_id (f->s1)));
  g_assert_true (has_input (inputs, LOOM_SCENE_INPUT_CHAPTER, loom_chapter_get_id (f->one)));
  g_assert_true (has_input (inputs, LOOM_SCENE_INPUT_STORY, loom_story_get_id (f->story)));
  /* every character the prompt includes, and none it leaves out */
  for (guint i = 0; i < g_list_model_get_n_items (loom_story_get_characters (f->story)); i++)
    {
      g_autoptr(LoomCharacter) c = g_list_model_get_item (loom_story_get_characters (f->story),
                                                          i);

      g_assert_cmpint (has_input (inputs, LOOM_SCENE_INPUT_CHARACTER,
                                  loom_character_get_id (c)), ==, includes (prompt, c));
    }
  g_assert_false (includes (prompt, f->jun));
  g_assert_cmpuint (inputs->len, ==, 4 + loom_prompt_get_characters (prompt)->len);

  /* the same prompt twice has the same fingerprints; a trait edit changes that one only */
  again = loom_prompt_new_for_scene (f->s2, NULL, &error);
  same = loom_prompt_get_inputs (again);
  g_assert_cmpuint (same->len, ==, inputs->len);
  for (guint i = 0; i < inputs->len; i++)
    g_assert_cmpstr (g_array_index (inputs, LoomSceneInput, i).fingerprint, ==,
                     g_array_index (same, LoomSceneInput, i).fingerprint);
  g_assert_true (loom_character_set_traits (f->mara, "guarded, wry, 39", &error));
  g_clear_object (&again);
  again = loom_prompt_new_for_scene (f->s2, NULL, &error);
  same = loom_prompt_get_inputs (again);
  for (guint i = 0; i < inputs->len; i++)
    {
      const LoomSceneInput *before = &g_array_index (inputs, LoomSceneInput, i);
      const LoomSceneInput *after = &g_array_index (same, LoomSceneInput, i);

      g_assert_cmpint (before->kind, ==, after->kind);
      g_assert_cmpint (g_strcmp0 (before->fingerprint, after->fingerprint) != 0, ==,
                       before->kind == LOOM_SCENE_INPUT_CHARACTER &&
                       before->ref_id == loom_character_get_id (f->mara));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/prompt/messages", test_messages);
  ADD ("/prompt/character-inclusion", test_character_inclusion);
  g_test_add_func ("/prompt/mentions", test_mentions);
  ADD ("/prompt/last-words", test_last_words);
  ADD ("/prompt/first-scene", test_first_scene);
  ADD ("/prompt/json", test_json);
  ADD ("/prompt/inputs", test_inputs);

  return g_test_run ();
}
