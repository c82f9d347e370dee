export const DATABASE_HANDLE = Symbol('DATABASE_HANDLE');
