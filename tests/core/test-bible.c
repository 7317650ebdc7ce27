/* test-bible.c: the story bible: mentions, entries, their trash, undo and outdated marks, the
 * prompt's part, and the library of version 8 opening with its data unchanged
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-bible"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "loom-chapter.h"
#include "loom-character.h"
#include "loom-deletion.h"
#include "loom-entry.h"
#include "loom-mentions.h"
#include "loom-prompt.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"
#include "test-util.h"

/* ---------------------------------------------------------------------------------------- */
/* Mentions                                                                                 */

static void
test_mentions_words (void)
{
  /* whole words only */
  g_assert_true (loom_text_mentions_name ("Ann came home.", "Ann"));
  g_assert_false (loom_text_mentions_name ("Annabel came home.", "Ann"));
  g_assert_false (loom_text_mentions_name ("Joanna came home.", "Ann"));
  g_assert_true (loom_text_mentions_name ("It was Ann's.", "Ann"));
  g_assert_true (loom_text_mentions_name ("(Ann)", "Ann"));
  g_assert_false (loom_text_mentions_name ("Zoëlle", "Zoë"));
  g_assert_true (loom_text_mentions_name ("Zoë!", "Zoë"));
  /* names of several words, in order, whatever is between them */
  g_assert_true (loom_text_mentions_name ("past the Red  House,", "the red house"));
  g_assert_true (loom_text_mentions_name ("the red\nhouse", "Red House"));
  g_assert_false (loom_text_mentions_name ("the red houses", "Red House"));
  g_assert_false (loom_text_mentions_name ("the house was red", "Red House"));
  /* nothing to find */
  g_assert_false (loom_text_mentions_name ("anything", "  "));
  g_assert_false (loom_text_mentions_name ("anything", "…"));
  g_assert_false (loom_text_mentions_name (NULL, "Ann"));
  g_assert_false (loom_text_mentions_name ("", "Ann"));
}

static void
test_mentions_case_and_scripts (void)
{
  /* case */
  g_assert_true (loom_text_mentions_name ("THE MILL burned", "the Mill"));
  g_assert_true (loom_text_mentions_name ("the mill burned", "The Mill"));
  g_assert_true (loom_text_mentions_name ("Straße", "STRASSE"));
  /* composed and decomposed é are one letter */
  g_assert_true (loom_text_mentions_name ("E\xcc\x81mile waits", "Émile"));
  g_assert_true (loom_text_mentions_name ("ÉMILE waits", "e\xcc\x81mile"));
  g_assert_false (loom_text_mentions_name ("Emile waits", "Émile"));
  /* Cyrillic and Greek, with their own case */
  g_assert_true (loom_text_mentions_name ("Вдали стояла МЕЛЬНИЦА.", "мельница"));
  g_assert_false (loom_text_mentions_name ("Вдали стояла мельницами.", "мельница"));
  g_assert_true (loom_text_mentions_name ("ο οδυσσέας έφυγε", "Οδυσσέας"));
  g_assert_true (loom_text_mentions_name ("ο Οδυσσέας έφυγε", "ΟΔΥΣΣΈΑΣ"));
  g_assert_false (loom_text_mentions_name ("Οδυσσέαςς", "Οδυσσέας"));
  /* Chinese and Japanese have no spaces: each ideograph is a word */
  g_assert_true (loom_text_mentions_name ("李明走了。", "李明"));
  g_assert_true (loom_text_mentions_name ("昨日、東京タワーに行った", "東京タワー"));
  g_assert_false (loom_text_mentions_name ("李走了。", "李明"));
}

typedef struct
{
  GString *log;
  const char *text;
} ScanLog;

static void
log_mention (gpointer item,
             gsize    start,
             gsize    end,
             gpointer user_data)
{
  ScanLog *log = user_data;

  g_string_append_printf (log->log, "%s=%.*s;", (const char *) g_object_get_data (item, "name"),
                          (int) (end - start), log->text + start);
}

/* Aliases stand for their item, and the offsets point at the words in the text. */
static void
test_mentions_aliases_and_offsets (void)
{
  g_autoptr(LoomMentions) mentions = loom_mentions_new ();
  g_autoptr(GObject) mill = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GObject) ann = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GHashTable) found = g_hash_table_new (NULL, NULL);
  ScanLog log = { g_string_new (NULL), "Annabel saw the old MILL, and Nan; then «ann»." };

  g_object_set_data (mill, "name", (gpointer) "mill");
  g_object_set_data (ann, "name", (gpointer) "ann");
  loom_mentions_add_names (mentions, "The Mill", " Old Mill , , the mill race", mill);
  loom_mentions_add_names (mentions, "Ann", "Nan", ann);
  g_assert_cmpuint (loom_mentions_get_n_terms (mentions), ==, 5);

  loom_mentions_scan (mentions, log.text, log_mention, &log);
  g_assert_cmpstr (log.log->str, ==, "mill=old MILL;ann=Nan;ann=ann;");
  g_string_free (log.log, TRUE);

  loom_mentions_collect (mentions, "Annabel and Joanna", found);
  g_assert_cmpuint (g_hash_table_size (found), ==, 0);
  loom_mentions_collect (mentions, "the Mill Race", found);
  g_assert_true (g_hash_table_contains (found, mill));
  g_assert_false (g_hash_table_contains (found, ann));
}

/* Bad UTF-8 ends the text there, and never crashes. */
static void
test_mentions_bad_input (void)
{
  g_assert_true (loom_text_mentions_name ("Ann \xff\xfe Bob", "Ann"));
  g_assert_false (loom_text_mentions_name ("Ann \xff\xfe Bob", "Bob"));
  g_assert_false (loom_text_mentions_name ("Ann", "\xff"));
}

/* ---------------------------------------------------------------------------------------- */
/* Entries in the library                                                                   */

typedef TestOneScene Fixture;

static LoomEntry *
add_entry (Fixture       *f,
           LoomEntryKind  kind,
           const char    *name,
           const char    *aliases,
           const char    *description,
           LoomInclusion  inclusion)
{
  g_autoptr(GError) error = NULL;
  LoomEntry *entry = loom_store_add_entry (f->store, f->story, kind, name, aliases, description,
                                           inclusion, &error);

  g_assert_no_error (error);
  g_assert_nonnull (entry);
  return entry;
}

static void
reopen (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  gint64 story = loom_story_get_id (f->story);
  gint64 scene = loom_scene_get_id (f->scene);

  g_clear_object (&f->store);
  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  f->story = loom_store_lookup_story (f->store, story);
  f->scene = loom_store_lookup_scene (f->store, scene);
  f->chapter = loom_scene_get_chapter (f->scene);
}

static void
test_crud (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GListModel *entries = loom_story_get_entries (f->story);
  LoomEntry *mill;
  gint64 id;

  mill = add_entry (f, LOOM_ENTRY_PLACE, "The Mill", "Old Mill", "Ruined, by the river.",
                    LOOM_INCLUSION_MENTIONED);
  id = loom_entry_get_id (mill);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 1);
  g_assert_true (loom_store_lookup_entry (f->store, id) == mill);

  /* a name is needed; a bad kind is refused with a sentence; nothing is added */
  g_assert_null (loom_store_add_entry (f->store, f->story, LOOM_ENTRY_LORE, "  ", NULL, NULL,
                                       LOOM_INCLUSION_ALWAYS, &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (loom_store_add_entry (f->store, f->story, (LoomEntryKind) 9, "X", NULL, NULL,
                                       LOOM_INCLUSION_ALWAYS, &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 1);

  g_assert_true (loom_entry_set_name (mill, "The Old Mill", &error));
  g_assert_true (loom_entry_set_aliases (mill, "Mill, Grindhouse", &error));
  g_assert_true (loom_entry_set_description (mill, "Burned down last winter.", &error));
  g_assert_true (loom_entry_set_kind (mill, LOOM_ENTRY_LORE, &error));
  g_assert_true (loom_entry_set_inclusion (mill, LOOM_INCLUSION_ALWAYS, &error));
  g_assert_false (loom_entry_set_name (mill, "", &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* all of it is in the library */
  reopen (f);
  mill = loom_store_lookup_entry (f->store, id);
  g_assert_nonnull (mill);
  g_assert_cmpstr (loom_entry_get_name (mill), ==, "The Old Mill");
  g_assert_cmpstr (loom_entry_get_aliases (mill), ==, "Mill, Grindhouse");
  g_assert_cmpstr (loom_entry_get_description (mill), ==, "Burned down last winter.");
  g_assert_cmpint (loom_entry_get_kind (mill), ==, LOOM_ENTRY_LORE);
  g_assert_cmpint (loom_entry_get_inclusion (mill), ==, LOOM_INCLUSION_ALWAYS);
  g_assert_true (loom_entry_get_story (mill) == f->story);
}

/* Deleting goes to the Trash; undoing puts the same entry back at its place. */
static void
test_delete_and_undo (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomDeletion) deletion = NULL;
  g_autoptr(LoomDeletion) again = NULL;
  g_autofree char *said = NULL;
  GListModel *entries = loom_story_get_entries (f->story);
  LoomEntry *a = add_entry (f, LOOM_ENTRY_OBJECT, "Key", NULL, "Brass.", LOOM_INCLUSION_MENTIONED);
  LoomEntry *b = add_entry (f, LOOM_ENTRY_GROUP, "The Guild", NULL, NULL, LOOM_INCLUSION_NEVER);
  LoomEntry *c = add_entry (f, LOOM_ENTRY_LORE, "The Vow", NULL, NULL, LOOM_INCLUSION_ALWAYS);
  gint64 id = loom_entry_get_id (b);
  g_autoptr(LoomEntry) held = g_object_ref (b);
  gint64 story_id = loom_story_get_id (f->story);
  g_autoptr(LoomEntry) first = NULL;
  g_autoptr(LoomEntry) middle = NULL;

  deletion = loom_store_delete_entry (f->store, b, &error);
  g_assert_no_error (error);
  g_assert_cmpint (loom_deletion_get_kind (deletion), ==, LOOM_TRASH_ENTRY);
  said = loom_deletion_describe (deletion);
  g_assert_cmpstr (said, ==, "Entry “The Guild” moved to the Trash");
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 2);
  g_assert_null (loom_store_lookup_entry (f->store, id));
  g_assert_true (loom_store_lookup_entry (f->store, loom_entry_get_id (c)) == c);

  g_assert_true (loom_store_undo_deletion (f->store, deletion, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 3);
  middle = g_list_model_get_item (entries, 1);
  g_assert_true (middle == held);
  g_assert_cmpint (loom_entry_get_inclusion (middle), ==, LOOM_INCLUSION_NEVER);

  /* a whole story takes its bible along, and brings it back */
  again = loom_store_delete_story (f->store, f->story, &error);
  g_assert_no_error (error);
  g_assert_null (loom_store_lookup_entry (f->store, loom_entry_get_id (a)));
  g_assert_true (loom_store_undo_deletion (f->store, again, &error));
  g_assert_no_error (error);
  f->story = loom_store_lookup_story (f->store, story_id);
  entries = loom_story_get_entries (f->story);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 3);
  first = g_list_model_get_item (entries, 0);
  g_assert_cmpstr (loom_entry_get_name (first), ==, "Key");
  g_assert_cmpstr (loom_entry_get_description (first), ==, "Brass.");
}

/* Another program's changes show here: a new entry, an edit, a deletion. */
static void
test_refresh (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  GListModel *entries = loom_story_get_entries (f->story);
  LoomEntry *key = add_entry (f, LOOM_ENTRY_OBJECT, "Key", NULL, NULL, LOOM_INCLUSION_MENTIONED);
  gint64 key_id = loom_entry_get_id (key);
  guint notified = 0;
  gboolean changed = FALSE;

  g_signal_connect_swapped (key, "notify::description", G_CALLBACK (test_count_signal),
                            &notified);
  sql = g_strdup_printf ("INSERT INTO entries (story_id, kind, name, inclusion) VALUES"
                         " (%" G_GINT64_FORMAT ", 'place', 'Harbour', 'always');"
                         "UPDATE entries SET description = 'Rusty.' WHERE id = %" G_GINT64_FORMAT,
                         loom_story_get_id (f->story), key_id);
  test_sql_exec (f->path, sql);
  g_assert_true (loom_store_refresh (f->store, &changed, &error));
  g_assert_true (changed);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 2);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpstr (loom_entry_get_description (key), ==, "Rusty.");

  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("DELETE FROM entries WHERE id = %" G_GINT64_FORMAT, key_id);
  test_sql_exec (f->path, sql);
  g_assert_true (loom_store_refresh (f->store, &changed, &error));
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 1);
  g_assert_null (loom_store_lookup_entry (f->store, key_id));
}

/* Many entries in one transaction: all or none. */
static void
test_add_many (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomEntrySpec specs[200];
  g_auto(GStrv) split = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    specs[i] = (LoomEntrySpec) { i % LOOM_ENTRY_N_KINDS, NULL, NULL, NULL,
                                 LOOM_INCLUSION_MENTIONED };
  split = g_new0 (char *, G_N_ELEMENTS (specs) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    specs[i].name = split[i] = g_strdup_printf ("Entry %u", i);

  specs[150].name = "";
  g_assert_false (loom_store_add_entries (f->store, f->story, specs, 200, &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (loom_story_get_entries (f->story)), ==, 0);

  specs[150].name = "Entry 150";
  g_assert_true (loom_store_add_entries (f->store, f->story, specs, 200, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (loom_story_get_entries (f->story)), ==, 200);
  reopen (f);
  g_assert_cmpuint (g_list_model_get_n_items (loom_story_get_entries (f->story)), ==, 200);
}

/* ---------------------------------------------------------------------------------------- */
/* The prompt                                                                               */

static char *
user_message (LoomPrompt *prompt)
{
  JsonArray *messages = loom_prompt_get_messages (prompt);
  JsonObject *user = json_array_get_object_element (messages, 1);

  return g_strdup (json_object_get_string_member (user, "content"));
}

static gboolean
includes (GPtrArray  *items,
          gpointer    item)
{
  return g_ptr_array_find (items, item, NULL);
}

/* Always-included entries always; mentioned ones when the outline or the end of the previous
 * scene names them, by name or alias; never ones never. Characters follow their rule. */
static void
test_prompt (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomPrompt) prompt = NULL;
  g_autofree char *user = NULL;
  LoomScene *next;
  LoomEntry *vow = add_entry (f, LOOM_ENTRY_LORE, "The Vow", NULL, "Never at night.",
                              LOOM_INCLUSION_ALWAYS);
  LoomEntry *mill = add_entry (f, LOOM_ENTRY_PLACE, "The Mill", "Grindhouse", "Ruined.",
                               LOOM_INCLUSION_MENTIONED);
  LoomEntry *key = add_entry (f, LOOM_ENTRY_OBJECT, "Key", NULL, "Brass.",
                              LOOM_INCLUSION_MENTIONED);
  LoomEntry *guild = add_entry (f, LOOM_ENTRY_GROUP, "Guild", NULL, "Secret.",
                                LOOM_INCLUSION_NEVER);
  LoomCharacter *mara = loom_store_add_character (f->store, f->story, "Mara Lind", "wry", NULL,
                                                  &error);
  LoomCharacter *tom = loom_store_add_character (f->store, f->story, "Tom", "shy", NULL,
                                                 &error);
  LoomCharacter *odd = loom_store_add_character (f->store, f->story, "Odd", "odd", NULL,
                                                 &error);

  g_assert_true (loom_character_set_inclusion (tom, LOOM_INCLUSION_MENTIONED, &error));
  g_assert_true (loom_character_set_aliases (tom, "the boy", &error));
  g_assert_true (loom_character_set_inclusion (odd, LOOM_INCLUSION_NEVER, &error));
  g_assert_true (loom_scene_set_prose (f->scene, "Long ago. At the end the GUILD met at the "
                                       "grindhouse.", &error));
  next = loom_store_add_scene (f->store, f->chapter, LOOM_POSITION_END,
                               "Mara finds the keys; Odd follows.", &error);
  g_assert_no_error (error);

  prompt = loom_prompt_new_for_scene (next, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (includes (loom_prompt_get_entries (prompt), vow));
  g_assert_true (includes (loom_prompt_get_entries (prompt), mill));   /* alias, in the end */
  g_assert_false (includes (loom_prompt_get_entries (prompt), key));   /* "keys" is not "Key" */
  g_assert_false (includes (loom_prompt_get_entries (prompt), guild)); /* never */
  g_assert_true (includes (loom_prompt_get_characters (prompt), mara)); /* always, default */
  g_assert_false (includes (loom_prompt_get_characters (prompt), tom)); /* not mentioned */
  g_assert_false (includes (loom_prompt_get_characters (prompt), odd)); /* never, though named */
  user = user_message (prompt);
  g_assert_nonnull (strstr (user, "bible[2]{kind,name,aliases,description}:"));
  g_assert_nonnull (strstr (user, "place,The Mill,Grindhouse,Ruined."));
  g_assert_null (strstr (user, "Secret."));
  g_clear_object (&prompt);
  g_clear_pointer (&user, g_free);

  /* the alias brings Tom in, and the characters' table shows aliases */
  g_assert_true (loom_scene_set_outline (next, "The boy finds the Key.", &error));
  prompt = loom_prompt_new_for_scene (next, NULL, &error);
  g_assert_true (includes (loom_prompt_get_entries (prompt), key));
  g_assert_true (includes (loom_prompt_get_characters (prompt), tom));
  user = user_message (prompt);
  g_assert_nonnull (strstr (user, "characters[2]{name,aliases,traits,backstory}:"));
}

/* ---------------------------------------------------------------------------------------- */
/* Outdated marks                                                                           */

static void
generate_from_prompt (Fixture   *f,
                      LoomScene *scene)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomPrompt) prompt = loom_prompt_new_for_scene (scene, NULL, &error);
  LoomGenerationEnd end = { .outcome = LOOM_GENERATION_COMPLETE, .prose = "Generated.",
                            .prompt_tokens = -1, .completion_tokens = -1, .cost = -1,
                            .model = "m/one" };
  gint64 id;

  g_assert_no_error (error);
  end.inputs = loom_prompt_get_inputs (prompt);
  id = loom_store_begin_generation (f->store, scene, "m/one", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (loom_store_end_generation (f->store, scene, id, &end, &error));
  g_assert_no_error (error);
}

static guint
stale_of (Fixture   *f,
          LoomScene *scene)
{
  loom_store_update_outdated (f->store);
  return loom_scene_get_stale_inputs (scene);
}

/* A character is known by its whole name and its aliases, not by each word of its name: the
 * sample's "Master Oskar Brand" is not every master, and is Oskar once the writer says so. */
static void
test_mentions_whole_names (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomMentions) mentions = NULL;
  g_autoptr(GHashTable) found = g_hash_table_new (NULL, NULL);
  LoomCharacter *oskar = loom_store_add_character (f->store, f->story, "Master Oskar Brand",
                                                   "old", NULL, &error);

  g_assert_no_error (error);
  mentions = loom_mentions_new_for_story (f->story);
  loom_mentions_collect (mentions, "The harbour master came; Oskar smiled.", found);
  g_assert_false (g_hash_table_contains (found, oskar));
  loom_mentions_collect (mentions, "At last, master oskar brand.", found);
  g_assert_true (g_hash_table_contains (found, oskar));
  g_clear_pointer (&mentions, loom_mentions_free);
  g_hash_table_remove_all (found);

  g_assert_true (loom_character_set_aliases (oskar, "Oskar", &error));
  mentions = loom_mentions_new_for_story (f->story);
  loom_mentions_collect (mentions, "The harbour master came; Oskar smiled.", found);
  g_assert_true (g_hash_table_contains (found, oskar));
}

/* Editing an entry marks exactly the scenes whose prompt included it. */
static void
test_outdated_per_entry (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomDeletion) deletion = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *expected = NULL;
  gint64 id;
  LoomEntry *mill = add_entry (f, LOOM_ENTRY_PLACE, "Mill", NULL, "Ruined.",
                               LOOM_INCLUSION_MENTIONED);
  LoomEntry *key = add_entry (f, LOOM_ENTRY_OBJECT, "Key", NULL, "Brass.",
                              LOOM_INCLUSION_MENTIONED);
  LoomEntry *vow = add_entry (f, LOOM_ENTRY_LORE, "Vow", NULL, "Never.", LOOM_INCLUSION_NEVER);
  LoomChapter *two = loom_store_add_chapter (f->store, f->story, 1, "Two", &error);
  LoomScene *at_mill = loom_store_add_scene (f->store, two, 0, "At the mill", &error);
  LoomScene *with_key = loom_store_add_scene (f->store, f->chapter, LOOM_POSITION_END,
                                              "A key turns", &error);

  g_assert_no_error (error);
  g_assert_true (loom_scene_set_prose (f->scene, "Quiet.", &error));
  /* the scene before At the mill is written first, so that only its end counts */
  generate_from_prompt (f, with_key);
  generate_from_prompt (f, at_mill);
  rows = test_sql_value (f->path, "SELECT group_concat (scene_id || ':' || ref_id, ' ') FROM"
                                  " (SELECT * FROM scene_inputs WHERE kind = 'entry'"
                                  "  ORDER BY scene_id)");
  expected = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                              ":%" G_GINT64_FORMAT, loom_scene_get_id (at_mill),
                              loom_entry_get_id (mill), loom_scene_get_id (with_key),
                              loom_entry_get_id (key));
  g_assert_cmpstr (rows, ==, expected);
  g_assert_cmpuint (stale_of (f, at_mill), ==, 0);
  g_assert_cmpuint (stale_of (f, with_key), ==, 0);

  g_assert_true (loom_entry_set_description (mill, "Rebuilt.", &error));
  g_assert_cmpuint (stale_of (f, at_mill), ==, LOOM_SCENE_INPUT_ENTRY);
  g_assert_cmpuint (stale_of (f, with_key), ==, 0);

  /* an entry the prompt left out changes nothing */
  g_assert_true (loom_entry_set_description (vow, "Always.", &error));
  g_assert_cmpuint (stale_of (f, with_key), ==, 0);

  /* deleting one the prompt used marks its scene; undoing clears it again */
  deletion = loom_store_delete_entry (f->store, key, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stale_of (f, with_key), ==, LOOM_SCENE_INPUT_ENTRY);
  g_assert_true (loom_store_undo_deletion (f->store, deletion, &error));
  g_assert_cmpuint (stale_of (f, with_key), ==, 0);

  /* and it holds when read again from the library */
  id = loom_scene_get_id (at_mill);
  reopen (f);
  at_mill = loom_store_lookup_scene (f->store, id);
  g_assert_cmpuint (stale_of (f, at_mill), ==, LOOM_SCENE_INPUT_ENTRY);
}

/* ---------------------------------------------------------------------------------------- */
/* Migration                                                                                */

/* A library of version 8 opens with its data unchanged: its characters keep every column and
 * are included as before (always), and the bible starts empty. */
static void
test_migrate_from_v8 (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomDeletion) deletion = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *version = NULL;
  g_autofree char *in_trash = NULL;
  LoomCharacter *mara = loom_store_add_character (f->store, f->story, "Mara", "wry", "Born here.",
                                                  &error);
  LoomCharacter *gone = loom_store_add_character (f->store, f->story, "Gone", "", NULL, &error);
  gint64 mara_id = loom_character_get_id (mara);
  gint64 gone_id = loom_character_get_id (gone);
  gint64 story_id = loom_story_get_id (f->story);

  deletion = loom_store_delete_character (f->store, gone, &error);
  g_assert_no_error (error);
  g_clear_object (&deletion);
  g_clear_object (&f->store);
  test_sql_exec (f->path,
                 /* version 8 knew no entry in the trash */
                 "PRAGMA writable_schema = ON;"
                 "UPDATE sqlite_schema SET sql = replace (sql, ', ''entry''', '')"
                 " WHERE name = 'trash';"
                 "PRAGMA writable_schema = OFF;"
                 TEST_SQL_UNDO_V16 TEST_SQL_UNDO_V15 TEST_SQL_UNDO_V14
                 TEST_SQL_UNDO_V10 TEST_SQL_UNDO_V11 TEST_SQL_UNDO_V12 TEST_SQL_UNDO_V13
                 TEST_SQL_UNDO_V9
                 "PRAGMA user_version = 8");
  before = test_dump_library (f->path);

  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  version = test_sql_value (f->path, "PRAGMA user_version");
  g_assert_cmpint (atoi (version), ==, LOOM_STORE_SCHEMA_VERSION);
  after = test_dump_library (f->path);
  g_assert_cmpstr (after, ==, before);

  f->story = loom_store_lookup_story (f->store, story_id);
  mara = loom_store_lookup_character (f->store, mara_id);
  g_assert_cmpstr (loom_character_get_backstory (mara), ==, "Born here.");
  g_assert_cmpstr (loom_character_get_aliases (mara), ==, "");
  g_assert_cmpint (loom_character_get_inclusion (mara), ==, LOOM_INCLUSION_ALWAYS);
  g_assert_cmpuint (g_list_model_get_n_items (loom_story_get_entries (f->story)), ==, 0);

  /* the character in the trash comes back whole */
  in_trash = test_sql_value (f->path, "SELECT id FROM trash WHERE kind = 'character'");
  g_assert_nonnull (loom_store_restore_from_trash (f->store, g_ascii_strtoll (in_trash, NULL, 10),
                                                   &error));
  g_assert_no_error (error);
  g_assert_nonnull (loom_store_lookup_character (f->store, gone_id));

  /* and the new tables work, the trash's entries too */
  deletion = loom_store_delete_entry (f->store,
                                      add_entry (f, LOOM_ENTRY_PLACE, "Mill", NULL, NULL,
                                                 LOOM_INCLUSION_ALWAYS), &error);
  g_assert_no_error (error);
  g_assert_nonnull (deletion);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bible/mentions/words", test_mentions_words);
  g_test_add_func ("/bible/mentions/case-and-scripts", test_mentions_case_and_scripts);
  g_test_add_func ("/bible/mentions/aliases-and-offsets", test_mentions_aliases_and_offsets);
  g_test_add_func ("/bible/mentions/bad-input", test_mentions_bad_input);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, test_one_scene_setup, func, test_one_scene_teardown)
  ADD ("/bible/crud", test_crud);
  ADD ("/bible/delete-and-undo", test_delete_and_undo);
  ADD ("/bible/refresh", test_refresh);
  ADD ("/bible/add-many", test_add_many);
  ADD ("/bible/prompt", test_prompt);
  ADD ("/bible/mentions/whole-names", test_mentions_whole_names);
  ADD ("/bible/outdated-per-entry", test_outdated_per_entry);
  ADD ("/bible/migrate-from-v8", test_migrate_from_v8);
#undef ADD

  return g_test_run ();
}
