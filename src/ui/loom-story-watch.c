/* loom-story-watch.c: hears of any change to a story's texts or order, wherever it came from
 * (issue 17)
 *
 * A list that shows what a story holds (the search pane's matches) goes stale when a scene's
 * outline or prose changes, a scene is added, deleted or moved, or a chapter moves: through
 * the writer's editors, a generation, Replace All, an undo, or another program (the store's
 * refresh brings those into the same objects). Every one of those paths ends in the model's
 * own signals: a scene's stamp (updated-at, moved by every stored prose), its outline, its
 * number, chapter and status (a draft starting or ending), a chapter's number and title, and
 * the lists' items-changed. The watch listens to all of them and emits
 * #LoomStoryWatch::changed once, LOOM_STORY_WATCH_SETTLE_MS after the first change, however
 * many came together: a generation's flushes or a refresh of a hundred scenes cost one search
 * (or one disclosure report), and a steady stream of changes at most one every settle time.
 *
 * Streamed prose that is not stored yet (notify::prose alone) is not a change: the search
 * reads what is stored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-story-watch"

#include "config.h"

#include "loom-chapter.h"
#include "loom-scene.h"
#include "loom-story.h"
#include "loom-story-watch.h"

struct _LoomStoryWatch
{
  GObject    parent_instance;

  /* owned */
  LoomStory *story;
  GPtrArray *watched;        /* the chapters, scenes and lists connected to */
  guint      settle_source;

  guint      relist : 1;     /* a list changed: connect again before the next change */
};

G_DEFINE_FINAL_TYPE (LoomStoryWatch, loom_story_watch, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORY,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void watch_all (LoomStoryWatch *self);

static gboolean
settled (gpointer data)
{
  LoomStoryWatch *self = data;

  self->settle_source = 0;
  if (self->relist)
    watch_all (self);
  g_signal_emit (self, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

static void
on_changed (LoomStoryWatch *self)
{
  if (self->settle_source == 0)
    self->settle_source = g_timeout_add (LOOM_STORY_WATCH_SETTLE_MS, settled, self);
}

static void
on_items_changed (LoomStoryWatch *self)
{
  self->relist = TRUE;
  on_changed (self);
}

static void
on_scene_notify (LoomStoryWatch *self,
                 GParamSpec     *pspec)
{
  static const char *const names[] = { "updated-at", "outline", "number", "chapter", "status" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (pspec->name, names[i]))
      {
        on_changed (self);
        return;
      }
}

static void
watch (LoomStoryWatch *self,
       gpointer        object,
       const char     *signal,
       GCallback       callback)
{
  g_signal_connect_swapped (object, signal, callback, self);
  g_ptr_array_add (self->watched, g_object_ref (object));
}

static void
unwatch_all (LoomStoryWatch *self)
{
  for (guint i = 0; i < self->watched->len; i++)
    g_signal_handlers_disconnect_by_data (self->watched->pdata[i], self);
  g_ptr_array_set_size (self->watched, 0);
}

static void
watch_chapter (LoomStoryWatch *self,
               LoomChapter    *chapter)
{
  GListModel *scenes = loom_chapter_get_scenes (chapter);

  watch (self, chapter, "notify::number", G_CALLBACK (on_changed));
  watch (self, chapter, "notify::title", G_CALLBACK (on_changed));
  watch (self, scenes, "items-changed", G_CALLBACK (on_items_changed));
  for (guint i = 0; i < g_list_model_get_n_items (scenes); i++)
    {
      g_autoptr(LoomScene) scene = g_list_model_get_item (scenes, i);

      watch (self, scene, "notify", G_CALLBACK (on_scene_notify));
    }
}

/* Connects to every chapter and scene the story holds now. */
static void
watch_all (LoomStoryWatch *self)
{
  GListModel *chapters = loom_story_get_chapters (self->story);

  unwatch_all (self);
  self->relist = FALSE;
  watch (self, chapters, "items-changed", G_CALLBACK (on_items_changed));
  for (guint i = 0; i < g_list_model_get_n_items (chapters); i++)
    {
      g_autoptr(LoomChapter) chapter = g_list_model_get_item (chapters, i);

      watch_chapter (self, chapter);
    }
}

LoomStoryWatch *
loom_story_watch_new (LoomStory *story)
{
  g_return_val_if_fail (LOOM_IS_STORY (story), NULL);

  return g_object_new (LOOM_TYPE_STORY_WATCH, "story", story, NULL);
}

LoomStory *
loom_story_watch_get_story (LoomStoryWatch *self)
{
  g_return_val_if_fail (LOOM_IS_STORY_WATCH (self), NULL);
  return self->story;
}

static void
loom_story_watch_constructed (GObject *object)
{
  LoomStoryWatch *self = LOOM_STORY_WATCH (object);

  G_OBJECT_CLASS (loom_story_watch_parent_class)->constructed (object);
  watch_all (self);
}

static void
loom_story_watch_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  LoomStoryWatch *self = LOOM_STORY_WATCH (object);

  switch (prop_id)
    {
    case PROP_STORY:
      g_value_set_object (value, self->story);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_story_watch_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  LoomStoryWatch *self = LOOM_STORY_WATCH (object);

  switch (prop_id)
    {
    case PROP_STORY:
      self->story = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_story_watch_dispose (GObject *object)
{
  LoomStoryWatch *self = LOOM_STORY_WATCH (object);

  g_clear_handle_id (&self->settle_source, g_source_remove);
  unwatch_all (self);
  g_clear_object (&self->story);

  G_OBJECT_CLASS (loom_story_watch_parent_class)->dispose (object);
}

static void
loom_story_watch_finalize (GObject *object)
{
  LoomStoryWatch *self = LOOM_STORY_WATCH (object);

  g_ptr_array_unref (self->watched);

  G_OBJECT_CLASS (loom_story_watch_parent_class)->finalize (object);
}

static void
loom_story_watch_class_init (LoomStoryWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = loom_story_watch_constructed;
  object_class->get_property = loom_story_watch_get_property;
  object_class->set_property = loom_story_watch_set_property;
  object_class->dispose = loom_story_watch_dispose;
  object_class->finalize = loom_story_watch_finalize;

  properties[PROP_STORY] =
    g_param_spec_object ("story", NULL, NULL, LOOM_TYPE_STORY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LoomStoryWatch::changed:
   *
   * A scene's outline or stored prose changed, or a scene or chapter was added, deleted or
   * moved; emitted once for changes that come together.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
loom_story_watch_init (LoomStoryWatch *self)
{
  self->watched = g_ptr_array_new_with_free_func (g_object_unref);
}
