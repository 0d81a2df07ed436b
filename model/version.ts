/** The tool's version, recorded in every trace and report (a test keeps it equal to package.json). */
export const TOOL_VERSION = '0.1.0';
