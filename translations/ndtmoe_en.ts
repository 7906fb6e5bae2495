<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>QObject</name>
    <message numerus="yes">
        <location filename="../views/ndtmoe_views/routing_tree_view.cpp" line="68"/>
        <source>%n more</source>
        <translation>
            <numerusform>%n more</numerusform>
            <numerusform>%n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../views/ndtmoe_views/routing_tree_view.cpp" line="330"/>
        <source>No sample reaches this branch (%n node(s) below folded)</source>
        <translation>
            <numerusform>No sample reaches this branch (%n node below folded)</numerusform>
            <numerusform>No sample reaches this branch (%n nodes below folded)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ndtmoe::views::DecisionPathView</name>
    <message numerus="yes">
        <location filename="../views/ndtmoe_views/decision_path_view.cpp" line="295"/>
        <source>%n more</source>
        <translation>
            <numerusform>%n more</numerusform>
            <numerusform>%n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ndtmoe::views::FrontierView</name>
    <message numerus="yes">
        <location filename="../views/ndtmoe_views/frontier_view.cpp" line="73"/>
        <source>Layer %1 of the decomposed run, %n decomposition(s)</source>
        <translation>
            <numerusform>Layer %1 of the decomposed run, %n decomposition</numerusform>
            <numerusform>Layer %1 of the decomposed run, %n decompositions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../views/ndtmoe_views/frontier_view.cpp" line="74"/>
        <source>; %n compared run(s) left out: not decompositions of this layer</source>
        <translation>
            <numerusform>; %n compared run left out: not a decomposition of this layer</numerusform>
            <numerusform>; %n compared runs left out: not decompositions of this layer</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ndtmoe::views::SamplesView</name>
    <message numerus="yes">
        <location filename="../views/ndtmoe_views/samples_view.cpp" line="145"/>
        <source>%n hand-picked sample(s)</source>
        <translation>
            <numerusform>%n hand-picked sample</numerusform>
            <numerusform>%n hand-picked samples</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../views/ndtmoe_views/samples_view.cpp" line="146"/>
        <source>%n sample(s) · %1</source>
        <translation>
            <numerusform>%n sample · %1</numerusform>
            <numerusform>%n samples · %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ndtmoe::views::TuningView</name>
    <message numerus="yes">
        <location filename="../views/ndtmoe_views/tuning_view.cpp" line="64"/>
        <source>%n trial(s), %1 sampler, %2 inner folds, budget %3. Chosen: %4.</source>
        <translation>
            <numerusform>%n trial, %1 sampler, %2 inner folds, budget %3. Chosen: %4.</numerusform>
            <numerusform>%n trials, %1 sampler, %2 inner folds, budget %3. Chosen: %4.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ndtmoe::workbench::MainWindow</name>
    <message numerus="yes">
        <location filename="../app/workbench/main_window.cpp" line="655"/>
        <source>Wrote %n file(s) to %1</source>
        <translation>
            <numerusform>Wrote %n file to %1</numerusform>
            <numerusform>Wrote %n files to %1</numerusform>
        </translation>
    </message>
</context>
</TS>
