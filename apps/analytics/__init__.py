"""Analysis and the command centre (分析研判 · 大屏): 三高 analysis, hot spots, forecasts, the big screen, the monthly report."""
