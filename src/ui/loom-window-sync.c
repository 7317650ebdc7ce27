/* loom-window-sync.c: the window follows what other programs write into the library
 *
 * storyloom-cli or a second window may change the library at any moment. The window asks the
 * store to catch up (loom_store_refresh (), one cheap statement when nothing changed) when it
 * gains focus and every two seconds, and the editors do before each save; the sidebar, the
 * editor and the character panel follow through the model's own signals. What needs a sentence is said here: text that two programs
 * changed at once (both are kept: another prose in the scene's history, another outline or
 * character text beside the writer's), and a scene or story deleted elsewhere while it was
 * open — what the writer had typed into it and not yet saved is kept as a new scene, never
 * dropped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-window-sync"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-chapter.h"
#include "loom-character.h"
#include "loom-scene.h"
#include "loom-story.h"
#include "loom-window-private.h"

#define REFRESH_INTERVAL_S 2

static void
show_message (LoomWindow *self,
              const char *message)
{
  g_free (self->last_message);
  self->last_message = g_strdup (message);
  _loom_window_add_message_toast (self, message, 8);
}

/**
 * _loom_window_refresh:
 *
 * Catches up with other programs' writes now. A failure (the library busy a moment) is quiet:
 * the next tick tries again, and saving reports its own errors.
 */
void
_loom_window_refresh (LoomWindow *self)
{
  g_autoptr(GError) error = NULL;
  gboolean changed = FALSE;

  if (self->store == NULL)
    return;
  if (!loom_store_refresh (self->store, &changed, &error))
    g_debug ("Could not follow changes made elsewhere: %s", error->message);
  /* the offer of a stopped generation's words lives in the library, not in a property */
  if (changed && self->generation != NULL)
    loom_generation_controller_reload_stopped (self->generation);
}

static gboolean
refresh_tick (gpointer data)
{
  _loom_window_refresh (LOOM_WINDOW (data));
  return G_SOURCE_CONTINUE;
}

static void
on_active_changed (LoomWindow *self)
{
  if (gtk_window_is_active (GTK_WINDOW (self)))
    _loom_window_refresh (self);
}

static void
on_prose_conflict (LoomWindow *self,
                   LoomScene  *scene)
{
  g_autofree char *message = NULL;
  LoomChapter *chapter = loom_scene_get_chapter (scene);

  /* TRANSLATORS: %u and %u are the chapter's and the scene's numbers */
  message = g_strdup_printf (_("Another program changed Chapter %u · Scene %u at the same time. "
                               "Your text is saved; the other version is in the scene’s "
                               "history."),
                             chapter ? loom_chapter_get_number (chapter) : 0,
                             loom_scene_get_number (scene));
  show_message (self, message);
}

static void
on_text_conflict (LoomWindow *self,
                  GObject    *item,
                  const char *property)
{
  g_autofree char *message = NULL;

  if (LOOM_IS_SCENE (item))
    {
      LoomChapter *chapter = loom_scene_get_chapter (LOOM_SCENE (item));

      /* TRANSLATORS: %u and %u are the chapter's and the scene's numbers */
      message = g_strdup_printf (_("Another program changed the outline of Chapter %u · Scene %u "
                                   "at the same time. Both versions are kept in it, yours "
                                   "first."),
                                 chapter ? loom_chapter_get_number (chapter) : 0,
                                 loom_scene_get_number (LOOM_SCENE (item)));
    }
  else if (LOOM_IS_CHARACTER (item))
    /* TRANSLATORS: %s is the character's name, which may now hold both versions */
    message = g_strdup_printf (_("Another program changed the character “%s” at the same time. "
                                 "Both versions are kept, yours first."),
                               loom_character_get_name (LOOM_CHARACTER (item)));
  else
    message = g_strdup (_("Another program changed this text at the same time. Both versions "
                          "are kept in it, yours first."));
  show_message (self, message);
}

static void
on_scene_deleted (LoomWindow *self,
                  LoomScene  *scene)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *message = NULL;
  LoomChapter *chapter = loom_scene_get_chapter (scene);
  guint chapter_number = chapter ? loom_chapter_get_number (chapter) : 0;
  LoomScene *kept;

  text = loom_scene_editor_take_unsaved_prose (self->editor, scene);
  if (loom_scene_editor_get_scene (self->editor) == scene)
    loom_scene_editor_set_scene (self->editor, NULL);
  else if (text == NULL)
    return;
  if (text == NULL)
    {
      /* TRANSLATORS: %u and %u are the chapter's and the scene's numbers */
      message = g_strdup_printf (_("Chapter %u · Scene %u was deleted by another program."),
                                 chapter_number, loom_scene_get_number (scene));
      show_message (self, message);
      return;
    }

  kept = loom_store_recover_scene (self->store, scene, text, &error);
  if (kept == NULL)
    {
      loom_window_show_error (self, error);
      return;
    }
  if (loom_scene_get_story (kept) != self->story)
    loom_window_set_story (self, loom_scene_get_story (kept));
  loom_sidebar_select_item (self->sidebar, G_OBJECT (kept));
  /* TRANSLATORS: %u and %u are the chapter's and the scene's numbers; then where the text is */
  message = g_strdup_printf (_("Chapter %u · Scene %u was deleted by another program. What you "
                               "had typed into it is kept as Chapter %u · Scene %u."),
                             chapter_number, loom_scene_get_number (scene),
                             loom_chapter_get_number (loom_scene_get_chapter (kept)),
                             loom_scene_get_number (kept));
  show_message (self, message);
}

static void
on_story_deleted (LoomWindow *self,
                  LoomStory  *story)
{
  g_autofree char *message = NULL;
  GListModel *stories;

  if (story != self->story)
    return;

  /* TRANSLATORS: %s is the story's title */
  message = g_strdup_printf (_("“%s” was deleted by another program."),
                             loom_story_get_title (story));
  stories = loom_store_get_stories (self->store);
  if (g_list_model_get_n_items (stories) > 0)
    {
      g_autoptr(LoomStory) first = g_list_model_get_item (stories, 0);
      loom_window_set_story (self, first);
    }
  else
    loom_window_set_story (self, NULL);
  show_message (self, message);
}

static void
on_deleted_elsewhere (LoomWindow *self,
                      GObject    *item)
{
  if (LOOM_IS_SCENE (item))
    on_scene_deleted (self, LOOM_SCENE (item));
  else if (LOOM_IS_STORY (item))
    on_story_deleted (self, LOOM_STORY (item));
}

void
_loom_window_sync_start (LoomWindow *self)
{
  g_signal_connect_object (self->store, "prose-conflict", G_CALLBACK (on_prose_conflict), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "text-conflict", G_CALLBACK (on_text_conflict), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "deleted-elsewhere", G_CALLBACK (on_deleted_elsewhere),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (on_active_changed), NULL);
  self->refresh_source = g_timeout_add_seconds (REFRESH_INTERVAL_S, refresh_tick, self);
}

void
_loom_window_sync_stop (LoomWindow *self)
{
  g_clear_handle_id (&self->refresh_source, g_source_remove);
}
