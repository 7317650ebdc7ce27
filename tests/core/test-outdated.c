/* test-outdated.c: a generated scene is outdated exactly when an input its prompt used changed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-outdated"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "loom-chapter.h"
#include "loom-character.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"
#include "test-util.h"

typedef struct
{
  char          *dir;
  char          *path;
  LoomStore     *store;
  LoomStory     *story;
  LoomChapter   *one;
  LoomScene     *s[4];   /* s[0..2] in chapter one, s[3] in chapter two */
  LoomCharacter *mara;
  LoomCharacter *tomas;
  LoomCharacter *elise;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomChapter *two;

  f->store = test_library_open ("storyloom-outdated-XXXXXX", &f->dir, &f->path);
  f->story = loom_store_create_story (f->store, "Tide", "A ferry town.", "Quiet.", &error);
  f->one = loom_store_add_chapter (f->store, f->story, 0, "One", &error);
  two = loom_store_add_chapter (f->store, f->story, 1, "Two", &error);
  f->s[0] = loom_store_add_scene (f->store, f->one, LOOM_POSITION_END, "Mara arrives", &error);
  f->s[1] = loom_store_add_scene (f->store, f->one, LOOM_POSITION_END, "Tomas waits", &error);
  f->s[2] = loom_store_add_scene (f->store, f->one, LOOM_POSITION_END, "Night", &error);
  f->s[3] = loom_store_add_scene (f->store, two, LOOM_POSITION_END, "Morning", &error);
  f->mara = loom_store_add_character (f->store, f->story, "Mara", "wry", NULL, &error);
  f->tomas = loom_store_add_character (f->store, f->story, "Tomas", "nervous", NULL, &error);
  f->elise = loom_store_add_character (f->store, f->story, "Elise", "absent", NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  test_library_close (&f->store, &f->dir, &f->path);
}

/* What a generator does: fingerprint the prompt's inputs, then store the prose with them. */
static void
generate (Fixture       *f,
          LoomScene     *scene,
          const char    *prose,
          LoomCharacter *character,
          ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) characters = g_ptr_array_new ();
  g_autoptr(GArray) inputs = NULL;
  LoomGenerationEnd end = { .outcome = LOOM_GENERATION_COMPLETE, .prose = prose,
                            .prompt_tokens = -1, .completion_tokens = -1, .cost = -1,
                            .model = "m/one" };
  va_list args;
  gint64 id;

  va_start (args, character);
  for (LoomCharacter *c = character; c != NULL; c = va_arg (args, LoomCharacter *))
    g_ptr_array_add (characters, c);
  va_end (args);

  inputs = loom_store_fingerprint_inputs (f->store, scene, characters, NULL, 400);
  id = loom_store_begin_generation (f->store, scene, "m/one", NULL, &error);
  g_assert_no_error (error);
  end.inputs = inputs;
  g_assert_true (loom_store_end_generation (f->store, scene, id, &end, &error));
  g_assert_no_error (error);
}

static void
generate_all (Fixture *f)
{
  generate (f, f->s[0], "Mara stepped off the ferry.", f->mara, NULL);
  generate (f, f->s[1], "Tomas saw Mara at the café.", f->mara, f->tomas, NULL);
  generate (f, f->s[2], "Tomas walked home alone.", f->tomas, NULL);
  generate (f, f->s[3], "The bells rang at dawn.", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (f->s); i++)
    g_assert_cmpuint (loom_scene_get_stale_inputs (f->s[i]), ==, 0);
}

/* The mark as views see it once the main loop ran (what changed is worked out in an idle). */
static guint
stale_of (Fixture   *f,
          LoomScene *scene)
{
  loom_store_update_outdated (f->store);
  return loom_scene_get_stale_inputs (scene);
}

static void
assert_stale (Fixture *f,
              guint    s0,
              guint    s1,
              guint    s2,
              guint    s3)
{
  g_assert_cmpuint (stale_of (f, f->s[0]), ==, s0);
  g_assert_cmpuint (stale_of (f, f->s[1]), ==, s1);
  g_assert_cmpuint (stale_of (f, f->s[2]), ==, s2);
  g_assert_cmpuint (stale_of (f, f->s[3]), ==, s3);
}

/* A trait edit marks the scenes whose prompt included that character, and no other. */
static void
test_character (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  generate_all (f);
  g_assert_true (loom_character_set_traits (f->mara, "wry, 38", &error));
  g_assert_no_error (error);
  assert_stale (f, LOOM_SCENE_INPUT_CHARACTER, LOOM_SCENE_INPUT_CHARACTER, 0, 0);

  /* a character no prompt included marks nothing */
  g_assert_true (loom_character_set_backstory (f->elise, "Left for the city.", &error));
  assert_stale (f, LOOM_SCENE_INPUT_CHARACTER, LOOM_SCENE_INPUT_CHARACTER, 0, 0);

  /* put back as it was: the prompt would be the same again */
  g_assert_true (loom_character_set_traits (f->mara, "wry", &error));
  assert_stale (f, 0, 0, 0, 0);

  /* deleting a character its prompt used marks the scene too */
  g_clear_object (&(LoomDeletion *) { loom_store_delete_character (f->store, f->tomas, &error) });
  g_assert_no_error (error);
  assert_stale (f, 0, LOOM_SCENE_INPUT_CHARACTER, LOOM_SCENE_INPUT_CHARACTER, 0);
}

/* The end of a scene is an input of the next scene only. */
static void
test_neighbour (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  generate_all (f);
  g_assert_true (loom_scene_set_prose (f->s[0], "Mara stepped off the late ferry.", &error));
  g_assert_no_error (error);
  assert_stale (f, 0, LOOM_SCENE_INPUT_PREVIOUS, 0, 0);

  /* across chapters: the last scene of one is the scene before the first of the next */
  g_assert_true (loom_scene_set_prose (f->s[2], "Tomas walked home.", &error));
  assert_stale (f, 0, LOOM_SCENE_INPUT_PREVIOUS, 0, LOOM_SCENE_INPUT_PREVIOUS);

  /* the outline of another scene in the chapter is in every prompt of the chapter */
  g_assert_true (loom_scene_set_outline (f->s[2], "Night, and rain", &error));
  assert_stale (f, LOOM_SCENE_INPUT_CHAPTER, LOOM_SCENE_INPUT_PREVIOUS | LOOM_SCENE_INPUT_CHAPTER,
                LOOM_SCENE_INPUT_OUTLINE, LOOM_SCENE_INPUT_PREVIOUS);

  /* the story's premise is in every prompt */
  g_assert_true (loom_story_set_premise (f->story, "A ferry town in winter.", &error));
  g_assert_cmpuint (stale_of (f, f->s[3]), ==,
                    LOOM_SCENE_INPUT_PREVIOUS | LOOM_SCENE_INPUT_STORY);
}

/* The writer's edit of a scene's prose accepts its inputs as they are: the mark clears, and
 * the next change marks it again. */
static void
test_prose_edit_clears (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;

  generate_all (f);
  g_assert_true (loom_scene_set_outline (f->s[1], "Tomas waits in the rain", &error));
  g_assert_true (loom_character_set_traits (f->tomas, "nervous, kind", &error));
  g_assert_cmpuint (stale_of (f, f->s[1]), ==,
                    LOOM_SCENE_INPUT_OUTLINE | LOOM_SCENE_INPUT_CHARACTER);
  g_assert_true (stale_of (f, f->s[1]) != 0);

  g_assert_true (loom_scene_set_prose (f->s[1], "Tomas saw Mara in the rain.", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stale_of (f, f->s[1]), ==, 0);
  g_assert_false (stale_of (f, f->s[1]) != 0);

  /* what it follows now is still recorded, per input */
  count = test_sql_value (f->path, "SELECT count(*) FROM scene_inputs WHERE scene_id = (SELECT"
                          " id FROM scenes WHERE outline = 'Tomas waits in the rain')");
  g_assert_cmpstr (count, ==, "6");
  g_assert_true (loom_character_set_traits (f->mara, "wry, tired", &error));
  g_assert_cmpuint (stale_of (f, f->s[1]), ==, LOOM_SCENE_INPUT_CHARACTER);

  /* a scene never generated has nothing to be outdated against */
  {
    LoomScene *typed = loom_store_add_scene (f->store, f->one, LOOM_POSITION_END, "Mara", &error);

    g_assert_true (loom_scene_set_prose (typed, "Typed.", &error));
    g_assert_true (loom_character_set_traits (f->mara, "wry, tired, 38", &error));
    g_assert_cmpuint (stale_of (f, typed), ==, 0);
  }
}

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Views learn of the mark by notify, before the next frame, without asking again; also when
 * the change comes from another program. */
static void
test_notify_and_refresh (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) other = NULL;
  LoomCharacter *their_mara;
  guint notified = 0;
  guint notified_other = 0;

  generate_all (f);
  g_signal_connect_swapped (f->s[0], "notify::stale-inputs", G_CALLBACK (test_count_signal),
                            &notified);
  g_signal_connect_swapped (f->s[2], "notify::stale-inputs", G_CALLBACK (test_count_signal),
                            &notified_other);
  g_assert_true (loom_character_set_traits (f->mara, "wry, 38", &error));
  g_assert_cmpuint (notified, ==, 0);
  iterate ();
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (notified_other, ==, 0);
  g_assert_true (loom_scene_get_outdated (f->s[0]));

  /* another program edits a character; this store follows on refresh */
  other = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  loom_story_get_characters (loom_store_lookup_story (other, loom_story_get_id (f->story)));
  their_mara = loom_store_lookup_character (other, loom_character_get_id (f->tomas));
  g_assert_true (loom_character_set_traits (their_mara, "calm now", &error));
  g_assert_no_error (error);
  g_assert_true (loom_store_refresh (f->store, NULL, &error));
  g_assert_no_error (error);
  /* worked out by the refresh itself */
  g_assert_cmpuint (notified_other, ==, 1);
  g_assert_cmpuint (stale_of (f, f->s[2]), ==, LOOM_SCENE_INPUT_CHARACTER);
  g_assert_cmpuint (stale_of (f, f->s[3]), ==, 0);
}

/* A library of version 6 opens with its data unchanged, and its scenes' outline fingerprints
 * carried over: an outline edited before the upgrade still marks its scene. */
/* What versions up to 6 wrote for @scene: one string of hashes per kind in generations.inputs. */
static char *
version_4_inputs (Fixture   *f,
                  LoomScene *scene)
{
  g_autofree char *sql = g_strdup_printf ("SELECT fingerprint FROM scene_inputs WHERE"
                                          " kind = 'outline' AND scene_id = %" G_GINT64_FORMAT,
                                          loom_scene_get_id (scene));
  g_autofree char *outline = test_sql_value (f->path, sql);

  g_assert_cmpuint (strlen (outline), ==, 16);
  return g_strdup_printf ("UPDATE generations SET inputs = 'p1:%s:0123456789abcdef:"
                          "fedcba9876543210' WHERE scene_id = %" G_GINT64_FORMAT ";",
                          outline, loom_scene_get_id (scene));
}

/* A library of version 6 opens with its data unchanged, and its scenes' outline fingerprints
 * carried over: an outline edited before the upgrade still marks its scene, and only it. */
static void
test_migrate_from_v6 (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *version = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *edit = NULL;
  gint64 ids[2] = { loom_scene_get_id (f->s[0]), loom_scene_get_id (f->s[1]) };
  gint64 tomas = loom_character_get_id (f->tomas);

  generate (f, f->s[0], "Mara stepped off the ferry.", f->mara, NULL);
  generate (f, f->s[1], "Tomas saw Mara.", f->tomas, NULL);
  first = version_4_inputs (f, f->s[0]);
  second = version_4_inputs (f, f->s[1]);
  g_clear_object (&f->store);

  test_sql_exec (f->path, first);
  test_sql_exec (f->path, second);
  /* nor the word log of version 8 */
  test_sql_exec (f->path, TEST_SQL_UNDO_V16 TEST_SQL_UNDO_V15 TEST_SQL_UNDO_V14
                 TEST_SQL_UNDO_V10 TEST_SQL_UNDO_V11 TEST_SQL_UNDO_V12 TEST_SQL_UNDO_V13
                 "DROP TABLE scene_inputs; DROP TABLE word_log;"
                 " DROP TABLE trash_word_log;" TEST_SQL_UNDO_V9 "PRAGMA user_version = 6");
  edit = g_strdup_printf ("UPDATE scenes SET outline = 'Mara arrives late' WHERE id = %"
                          G_GINT64_FORMAT, ids[0]);
  test_sql_exec (f->path, edit);
  before = test_dump_library (f->path);

  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  version = test_sql_value (f->path, "PRAGMA user_version");
  g_assert_cmpint (atoi (version), ==, LOOM_STORE_SCHEMA_VERSION);
  after = test_dump_library (f->path);
  g_assert_cmpstr (after, ==, before);

  f->s[0] = loom_store_lookup_scene (f->store, ids[0]);
  f->s[1] = loom_store_lookup_scene (f->store, ids[1]);
  g_assert_cmpuint (stale_of (f, f->s[0]), ==, LOOM_SCENE_INPUT_OUTLINE);
  g_assert_cmpuint (stale_of (f, f->s[1]), ==, 0);

  /* and the table works: the next generation records every input, characters too */
  f->tomas = loom_store_lookup_character (f->store, tomas);
  generate (f, f->s[1], "Tomas saw Mara again.", f->tomas, NULL);
  g_assert_true (loom_character_set_traits (f->tomas, "calm", &error));
  g_assert_cmpuint (stale_of (f, f->s[1]), ==, LOOM_SCENE_INPUT_CHARACTER);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/outdated/character", test_character);
  ADD ("/outdated/neighbour", test_neighbour);
  ADD ("/outdated/prose-edit-clears", test_prose_edit_clears);
  ADD ("/outdated/notify-and-refresh", test_notify_and_refresh);
  ADD ("/outdated/migrate-from-v6", test_migrate_from_v6);
#undef ADD

  return g_test_run ();
}
