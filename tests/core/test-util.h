/* test-util.h: helpers shared by the core tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "loom-scene.h"
#include "loom-store.h"

G_BEGIN_DECLS

void        test_remove_tree       (const char *path);

/* A library of its own in a new temporary folder (named from @tmpl, as g_dir_make_tmp ()),
 * opened; test_library_close () closes it and removes the folder. */
LoomStore  *test_library_open      (const char  *tmpl,
                                    char       **dir,
                                    char       **path);
void        test_library_close     (LoomStore  **store,
                                    char       **dir,
                                    char       **path);
/* The story "Tide" with chapter "One" holding the scene "The boat leaves", returned. */
LoomScene  *test_add_one_scene     (LoomStore    *store,
                                    LoomStory   **story,
                                    LoomChapter **chapter);
/* A fixture for g_test_add (): a library of its own holding test_add_one_scene ()'s story.
 * The @data of g_test_add () is not used, so tests may pass their own. */
typedef struct
{
  char        *dir;
  char        *path;
  LoomStore   *store;
  LoomStory   *story;
  LoomChapter *chapter;
  LoomScene   *scene;
} TestOneScene;

void        test_one_scene_setup    (TestOneScene  *f,
                                     gconstpointer  data);
void        test_one_scene_teardown (TestOneScene  *f,
                                     gconstpointer  data);
char       *test_checksum          (const char *path);
/* Inverts the first bytes of page @page (from 0, 4096 bytes each) of the file at @path: its
 * b-tree header, its pointer to the next overflow page, or its freelist link. */
void        test_damage_page       (const char *path,
                                    guint       page);

/* Raw SQL on a library file through a connection of its own, as another program would. */
void        test_sql_exec          (const char *path,
                                    const char *sql);
char       *test_sql_try           (const char *path,
                                    const char *sql);
char       *test_sql_value         (const char *path,
                                    const char *sql);
GPtrArray  *test_sql_rows          (const char *path,
                                    const char *sql);
char       *test_dump_library      (const char *path);

/* SQL that takes a library back from version 9 (the story bible) to what version 8 wrote, for
 * the tests of older migrations. */
#define TEST_SQL_UNDO_V9 \
  "DROP TABLE entries; DROP TABLE trash_entries;" \
  "ALTER TABLE characters DROP COLUMN aliases;" \
  "ALTER TABLE characters DROP COLUMN inclusion;" \
  "ALTER TABLE trash_characters DROP COLUMN aliases;" \
  "ALTER TABLE trash_characters DROP COLUMN inclusion;"
/* SQL that takes a library back from version 10 to 9 (goals and the kept word log), for the
 * tests that write an older library; they take the later versions back first. */
#define TEST_SQL_UNDO_V10 \
  "DROP TABLE word_log_kept; DROP TABLE trash_word_log_kept;" \
  "ALTER TABLE stories DROP COLUMN target_words;" \
  "ALTER TABLE stories DROP COLUMN deadline;" \
  "ALTER TABLE stories DROP COLUMN daily_goal;" \
  "ALTER TABLE trash_stories DROP COLUMN target_words;" \
  "ALTER TABLE trash_stories DROP COLUMN deadline;" \
  "ALTER TABLE trash_stories DROP COLUMN daily_goal;"
#define TEST_SQL_UNDO_V11 \
  "DROP TABLE models; DROP TABLE model_lists;"
#define TEST_SQL_UNDO_V13 \
  "DROP TABLE story_spending_limits; DROP TABLE library_amounts;"

/* From version 12 to 11 (search and replace); the 'replace' revision origin stays allowed. */
#define TEST_SQL_UNDO_V12 \
  "DROP TRIGGER scenes_search_insert; DROP TRIGGER scenes_search_update;" \
  "DROP TRIGGER scenes_search_delete; DROP TABLE scene_search; DROP TABLE search_stale;"

/* SQL that takes a library back from version 14 (scene summaries) to what version 13 wrote. */
#define TEST_SQL_UNDO_V14 \
  "DROP TABLE scene_summaries; DROP TABLE trash_scene_summaries;" \
  "PRAGMA writable_schema = ON;" \
  "UPDATE sqlite_schema SET sql = replace (sql, ', ''summary''', '')" \
  " WHERE name = 'generations';" \
  "PRAGMA writable_schema = OFF;"

/* From version 15 (per-story recent instructions, spelling language, library settings, the
 * purge trigger) back to what version 14 wrote. */
#define TEST_SQL_UNDO_V15 \
  "DROP TRIGGER trash_story_purged; DROP TABLE library_settings;" \
  "ALTER TABLE stories DROP COLUMN spell_language;" \
  "ALTER TABLE trash_stories DROP COLUMN spell_language;" \
  "CREATE TABLE revise_instructions (id INTEGER PRIMARY KEY," \
  "  instruction TEXT NOT NULL UNIQUE CHECK (length(trim(instruction)) > 0)," \
  "  used_at INTEGER NOT NULL);" \
  "CREATE INDEX revise_instructions_by_use ON revise_instructions (used_at);" \
  "DROP TABLE story_instructions;"

/* From version 16 (provenance) back to what version 15 wrote. */
#define TEST_SQL_UNDO_V16 \
  "DROP TABLE prose_provenance; DROP TABLE revision_provenance;" \
  "DROP TABLE trash_prose_provenance; DROP TABLE trash_revision_provenance;"

void        test_count_signal      (guint      *counter);

/* The scene's prose, read from the library first if needed (a getter never reads it). */
const char *test_scene_prose       (LoomScene  *scene);

/* A generation of @text into @scene by @model, flushed once as the generator flushes and
 * ended with @outcome: complete, the text is the scene's; stopped or failed, the earlier
 * prose is back and @text is the partial revision. Returns @text. */
const char *test_generate          (LoomStore             *store,
                                    LoomScene             *scene,
                                    LoomGenerationOutcome  outcome,
                                    const char            *model,
                                    const char            *text);

/* A complete generation of @text into @scene by @model, priced at @cost dollars (10 prompt
 * and 10 completion tokens). Returns the generation's id. */
gint64      test_generate_priced   (LoomStore             *store,
                                    LoomScene             *scene,
                                    const char            *model,
                                    const char            *text,
                                    double                 cost);

/* Runs the main context until @condition holds; fails the test, naming @what, after 30 s or
 * LOOM_TEST_WAIT_SECONDS (for builds that run slower, such as LeakSanitizer's). */
typedef gboolean (*TestCondition) (gpointer data);
void        test_spin_until        (TestCondition  condition,
                                    gpointer       data,
                                    const char    *what);
/* Spins until @scene's stored prose (loaded if need be) reads @prose. */
void        test_wait_for_prose    (LoomScene     *scene,
                                    const char    *prose,
                                    const char    *what);
/* LOOM_TEST_PAUSE_MS keeps a window on screen for a while, to look at it or screenshot it. */
void        test_maybe_pause       (void);

/* Records items-changed as "position-removed+added" words. */
typedef struct _TestSignalLog TestSignalLog;
TestSignalLog *test_signal_log_new    (GListModel    *model);
void           test_signal_log_assert (TestSignalLog *log,
                                       const char    *expected);
void           test_signal_log_free   (TestSignalLog *log);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestSignalLog, test_signal_log_free)

G_END_DECLS
