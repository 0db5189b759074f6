/*
 * Output of listings for people and scripts, and the progress bar.
 *
 * A listing goes to stdout in one of three forms:
 *  - --json: a JSON array, one object per line, streamed (a million leases need not
 *    sit in memory);
 *  - stdout is a terminal: a header and columns aligned with spaces (rows are kept
 *    until the end to measure the columns);
 *  - otherwise: one line per row, cells separated by tabs, no header, streamed. An
 *    empty cell is "-", since shells collapse consecutive tabs when splitting fields.
 */

#include "common.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct rwctl_list {
	bool json;
	/* aligned for a terminal */
	bool aligned;
	int columns;
	const char *const *headers;
	/* JSON objects written so far */
	size_t objects;
	/* aligned mode: all cells, row after row */
	char **cells;
	size_t rows, allocated;
	size_t *widths;
	bool failed;
};

const char *rwctl_printable(const char *s, char *buf, size_t len)
{
	size_t i;

	snprintf(buf, len, "%s", s ? s : "");
	for (i = 0; buf[i]; i++)
	{
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
		{
			buf[i] = '?';
		}
	}
	return buf;
}

rwctl_list_t *rwctl_list_begin(const rwctl_opts_t *opts, const char *const *headers,
							   int columns)
{
	rwctl_list_t *list;
	int i;

	list = calloc(1, sizeof(*list));
	if (!list)
	{
		abort();
	}
	list->json = opts->json;
	list->aligned = !opts->json && isatty(STDOUT_FILENO);
	list->columns = columns;
	list->headers = headers;
	if (list->json)
	{
		fputs("[", stdout);
	}
	if (list->aligned)
	{
		list->widths = calloc(columns, sizeof(size_t));
		if (!list->widths)
		{
			abort();
		}
		for (i = 0; i < columns; i++)
		{
			list->widths[i] = strlen(headers[i]);
		}
	}
	return list;
}

bool rwctl_list_is_json(const rwctl_list_t *list)
{
	return list->json;
}

/* display width of UTF-8 text, counting characters (no East Asian wide forms) */
static size_t text_width(const char *s)
{
	size_t width = 0;

	for (; *s; s++)
	{
		if (((unsigned char)*s & 0xc0) != 0x80)
		{
			width++;
		}
	}
	return width;
}

void rwctl_list_row(rwctl_list_t *list, const char *const *cells)
{
	char clean[1024];
	const char *cell;
	size_t width;
	int i;

	if (!list->aligned)
	{
		for (i = 0; i < list->columns; i++)
		{
			cell = (cells[i] && cells[i][0]) ? cells[i] : "-";
			if (i)
			{
				putchar('\t');
			}
			fputs(rwctl_printable(cell, clean, sizeof(clean)), stdout);
		}
		putchar('\n');
		return;
	}
	if (list->rows == list->allocated)
	{
		list->allocated = list->allocated ? 2 * list->allocated : 64;
		list->cells = realloc(list->cells,
							  list->allocated * list->columns * sizeof(char *));
		if (!list->cells)
		{
			abort();
		}
	}
	for (i = 0; i < list->columns; i++)
	{
		cell = (cells[i] && cells[i][0]) ? cells[i] : "-";
		cell = strdup(rwctl_printable(cell, clean, sizeof(clean)));
		if (!cell)
		{
			abort();
		}
		list->cells[list->rows * list->columns + i] = (char *)cell;
		width = text_width(cell);
		if (width > list->widths[i])
		{
			list->widths[i] = width;
		}
	}
	list->rows++;
}

void rwctl_list_json(rwctl_list_t *list, void *object)
{
	fputs(list->objects ? ",\n" : "\n", stdout);
	fputs(json_object_to_json_string_ext(object, JSON_C_TO_STRING_PLAIN |
										 JSON_C_TO_STRING_NOSLASHESCAPE), stdout);
	json_object_put(object);
	list->objects++;
}

static void print_aligned(const rwctl_list_t *list, const char *const *cells)
{
	int i;

	for (i = 0; i < list->columns; i++)
	{
		fputs(cells[i], stdout);
		if (i < list->columns - 1)
		{
			printf("%*s", (int)(list->widths[i] - text_width(cells[i]) + 2), "");
		}
	}
	putchar('\n');
}

int rwctl_list_end(rwctl_list_t *list)
{
	size_t row, i;

	if (list->json)
	{
		fputs(list->objects ? "\n]\n" : "]\n", stdout);
	}
	if (list->aligned)
	{
		print_aligned(list, list->headers);
		for (row = 0; row < list->rows; row++)
		{
			print_aligned(list, (const char *const *)&list->cells[row * list->columns]);
		}
		for (i = 0; i < list->rows * list->columns; i++)
		{
			free(list->cells[i]);
		}
	}
	free(list->cells);
	free(list->widths);
	free(list);
	return rwctl_flush_stdout();
}

int rwctl_print_json(void *object)
{
	puts(json_object_to_json_string_ext(object, JSON_C_TO_STRING_PRETTY |
										JSON_C_TO_STRING_SPACED |
										JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(object);
	return rwctl_flush_stdout();
}

void rwctl_show_field(const char *key, const char *value)
{
	char clean[1024];

	printf("%-15s %s\n", key, (value && value[0]) ?
		   rwctl_printable(value, clean, sizeof(clean)) : "-");
}

int rwctl_flush_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout))
	{
		return rwctl_fail(RWCTL_EXIT_ERROR, "cannot write output: %s", strerror(errno));
	}
	return RWCTL_EXIT_OK;
}

/* ------------------------------------------------------------------------------ */
/* progress bar */

#define PROGRESS_BAR_WIDTH 30

void rwctl_progress_init(rwctl_progress_t *p, const char *label)
{
	p->enabled = isatty(STDERR_FILENO);
	p->label = label;
	p->drawn = -1;
}

void rwctl_progress_update(rwctl_progress_t *p, uint64_t done, uint64_t total)
{
	char bar[PROGRESS_BAR_WIDTH + 1];
	int permille, filled;

	if (!p->enabled || !total)
	{
		return;
	}
	if (done > total)
	{
		done = total;
	}
	permille = (int)(done * 1000 / total);
	/* redrawing costs a write per call: only when the bar visibly moves */
	if (permille / 5 == p->drawn / 5 && p->drawn >= 0 && done != total)
	{
		return;
	}
	p->drawn = permille;
	filled = permille * PROGRESS_BAR_WIDTH / 1000;
	memset(bar, '#', filled);
	memset(bar + filled, '.', PROGRESS_BAR_WIDTH - filled);
	bar[PROGRESS_BAR_WIDTH] = '\0';
	fprintf(stderr, "\r%s [%s] %3d%% %llu/%llu", p->label, bar, permille / 10,
			(unsigned long long)done, (unsigned long long)total);
	fflush(stderr);
}

void rwctl_progress_done(rwctl_progress_t *p)
{
	if (p->enabled && p->drawn >= 0)
	{
		/* erase the bar so a following message starts on a clean line */
		fputs("\r\033[K", stderr);
		fflush(stderr);
		p->drawn = -1;
	}
}
