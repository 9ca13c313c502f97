/** The version of @engram/core, checked against each plugin's supported range. */
export const coreVersion = '0.1.0';
