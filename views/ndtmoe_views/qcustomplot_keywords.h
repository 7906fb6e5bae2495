#pragma once
// QCustomPlot's header uses Qt's `signals`, `slots`, `emit` and `foreach` keywords, which this project
// switches off (QT_NO_KEYWORDS: they clash with libtorch). They are defined for this header only.

#define signals Q_SIGNALS
#define slots Q_SLOTS
#define emit Q_EMIT
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef slots
#undef emit
#undef foreach
