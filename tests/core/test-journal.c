/* test-journal.c: a store opened for a window never waits for the disk on its main thread
 *
 * SQLite syncs the write-ahead log when a write starts it afresh and when a checkpoint copies
 * it back. With LOOM_STORE_OPEN_SYNC_IN_THREAD both happen in a thread. A VFS over the default
 * one counts the syncs made on the main thread, so the tests see what the window would wait
 * for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-journal"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "loom-chapter.h"
#include "loom-store.h"
#include "loom-story.h"
#include "test-util.h"

static sqlite3_vfs *real_vfs;
static sqlite3_vfs counting_vfs;
/* The default VFS has a table of methods per kind of file; each gets a counting copy. */
#define MAX_KINDS 8
static const sqlite3_io_methods *real_methods[MAX_KINDS];
static sqlite3_io_methods counting_methods[MAX_KINDS];
static guint n_kinds;
static GMutex kinds_lock;
static GThread *main_thread;
static guint main_syncs;

static int
counting_sync (sqlite3_file *file,
               int           flags)
{
  guint kind = (guint) (file->pMethods - counting_methods);

  g_assert_cmpuint (kind, <, n_kinds);
  if (g_thread_self () == main_thread)
    main_syncs++;
  return real_methods[kind]->xSync (file, flags);
}

static const sqlite3_io_methods *
counting_methods_for (const sqlite3_io_methods *methods)
{
  guint kind;

  g_mutex_lock (&kinds_lock);
  for (kind = 0; kind < n_kinds && real_methods[kind] != methods; kind++)
    ;
  if (kind == n_kinds)
    {
      g_assert_cmpuint (n_kinds, <, MAX_KINDS);
      real_methods[kind] = methods;
      counting_methods[kind] = *methods;
      counting_methods[kind].xSync = counting_sync;
      n_kinds++;
    }
  g_mutex_unlock (&kinds_lock);
  return &counting_methods[kind];
}

/* The file is the default VFS's own; only its table of methods is ours, with xSync counted. */
static int
counting_open (sqlite3_vfs  *vfs,
               const char   *name,
               sqlite3_file *file,
               int           flags,
               int          *out_flags)
{
  int rc = real_vfs->xOpen (real_vfs, name, file, flags, out_flags);

  if (rc == SQLITE_OK && file->pMethods != NULL)
    file->pMethods = counting_methods_for (file->pMethods);
  return rc;
}

static void
install_counting_vfs (void)
{
  real_vfs = sqlite3_vfs_find (NULL);
  counting_vfs = *real_vfs;
  counting_vfs.zName = "loom-test-counting";
  counting_vfs.pNext = NULL;
  counting_vfs.xOpen = counting_open;
  g_assert_cmpint (sqlite3_vfs_register (&counting_vfs, 1), ==, SQLITE_OK);
  main_thread = g_thread_self ();
}

static gboolean
journal_idle (gpointer data)
{
  return !loom_store_get_journal_busy (data);
}

/* A library written and closed, as the window finds it when it starts: no log. */
static LoomChapter *
reopen (const char         *path,
        LoomStoreOpenFlags  flags,
        LoomStore         **store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStory) story = NULL;

  *store = loom_store_open_full (path, flags, &error);
  g_assert_no_error (error);
  story = g_list_model_get_item (loom_store_get_stories (*store), 0);
  return g_list_model_get_item (loom_story_get_chapters (story), 0);
}

static void
add_scenes (LoomStore   *store,
            LoomChapter *chapter,
            guint        n,
            const char  *outline)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      loom_store_add_scene (store, chapter, LOOM_POSITION_END, outline, &error);
      g_assert_no_error (error);
      /* A writer's edits come far apart for the thread: it is done before the next. (A write
       * meanwhile would find the log copied back and start it again itself, as before.) */
      test_spin_until (journal_idle, store, "the thread at rest");
    }
}

static goffset
log_size (const char *path)
{
  g_autofree char *log_path = g_strconcat (path, "-wal", NULL);
  GStatBuf st;

  return g_stat (log_path, &st) == 0 ? st.st_size : 0;
}

static void
test_journal_syncs_in_thread (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("storyloom-journal-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "library.db", NULL);
  g_autofree char *outline = g_strnfill (60 * 1024, 'o');
  LoomStore *store;
  LoomStory *story;
  LoomChapter *chapter;
  goffset size;

  store = loom_store_open (path, &error);
  g_assert_no_error (error);
  story = loom_store_create_story (store, "Salt", "A premise.", NULL, &error);
  loom_store_add_chapter (store, story, 0, "One", &error);
  g_assert_no_error (error);
  g_object_unref (store);

  /* Without the flag the session's first write syncs the log on the main thread: what the
   * counting sees, and what the flag is for. */
  chapter = reopen (path, LOOM_STORE_OPEN_DEFAULT, &store);
  main_syncs = 0;
  add_scenes (store, chapter, 1, "Mara crosses the salt.");
  g_assert_cmpuint (main_syncs, >, 0);
  g_object_unref (chapter);
  g_object_unref (store);

  chapter = reopen (path, LOOM_STORE_OPEN_SYNC_IN_THREAD, &store);
  test_spin_until (journal_idle, store, "the log started in a thread");
  main_syncs = 0;

  /* Past the 1,000 pages at which SQLite checkpoints (60 KiB a scene, some 16 pages). */
  add_scenes (store, chapter, 70, outline);
  size = log_size (path);
  g_assert_cmpint (size, >, 1000 * 4096);

  /* The log was copied back and started again: 400 more pages go over its start, it does
   * not grow. */
  add_scenes (store, chapter, 25, outline);
  g_assert_cmpint (log_size (path), <=, size);

  g_assert_cmpuint (main_syncs, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (loom_chapter_get_scenes (chapter)), ==, 96);

  g_object_unref (chapter);
  g_object_unref (store);
  test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  install_counting_vfs ();

  g_test_add_func ("/store/journal/syncs-in-thread", test_journal_syncs_in_thread);

  return g_test_run ();
}
