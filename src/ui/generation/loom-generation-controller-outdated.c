/* loom-generation-controller-outdated.c: the outdated marks: scenes whose outline or neighbours changed since their prose
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-generation-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-generation-controller-private.h"

/* How long after the last outline edit the story's staleness marks are refreshed. */
#define STALENESS_DELAY_MS 800
/* Scenes refreshed per idle callback, so that a long story never stalls the window. */
#define STALENESS_BATCH 8

void
_loom_generation_controller_refresh_staleness (LoomGenerationController *self,
                                               LoomScene                *scene)
{
  g_autoptr(GError) error = NULL;

  if (loom_scene_get_status (scene) == LOOM_SCENE_STATUS_GENERATING ||
      loom_scene_get_word_count (scene) == 0)
    return;
  loom_generator_refresh_staleness (self->generator, scene, &error);
  if (error != NULL)
    g_debug ("Could not tell whether scene %u is stale: %s", loom_scene_get_number (scene),
             error->message);
}

static gboolean
stale_idle (gpointer data)
{
  LoomGenerationController *self = data;

  for (guint i = 0; i < STALENESS_BATCH && self->stale_queue->len > 0; i++)
    {
      g_autoptr(LoomScene) scene = g_ptr_array_steal_index (self->stale_queue,
                                                            self->stale_queue->len - 1);
      _loom_generation_controller_refresh_staleness (self, scene);
    }
  if (self->stale_queue->len > 0)
    return G_SOURCE_CONTINUE;
  self->stale_idle_source = 0;
  return G_SOURCE_REMOVE;
}

/* Queues every scene of the story with prose, refreshed a few at a time when idle. */
void
_loom_generation_controller_queue_story_staleness (LoomGenerationController *self)
{
  GListModel *chapters;

  g_ptr_array_set_size (self->stale_queue, 0);
  if (self->story == NULL)
    return;

  chapters = loom_story_get_chapters (self->story);
  for (guint c = g_list_model_get_n_items (chapters); c > 0; c--)
    {
      g_autoptr(LoomChapter) chapter = g_list_model_get_item (chapters, c - 1);
      GListModel *scenes = loom_chapter_get_scenes (chapter);

      for (guint s = g_list_model_get_n_items (scenes); s > 0; s--)
        {
          LoomScene *scene = g_list_model_get_item (scenes, s - 1);

          if (loom_scene_get_word_count (scene) > 0)
            g_ptr_array_add (self->stale_queue, scene);
          else
            g_object_unref (scene);
        }
    }
  if (self->stale_idle_source == 0 && self->stale_queue->len > 0)
    self->stale_idle_source = g_idle_add_full (G_PRIORITY_LOW, stale_idle, self, NULL);
}

static gboolean
stale_delay_done (gpointer data)
{
  LoomGenerationController *self = data;

  self->stale_delay_source = 0;
  _loom_generation_controller_queue_story_staleness (self);
  return G_SOURCE_REMOVE;
}

void
_loom_generation_controller_schedule_story_staleness (LoomGenerationController *self)
{
  g_clear_handle_id (&self->stale_delay_source, g_source_remove);
  self->stale_delay_source = g_timeout_add (STALENESS_DELAY_MS, stale_delay_done, self);
}
